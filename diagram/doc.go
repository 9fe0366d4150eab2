// Package diagram is the scene model of a tensor-network drawing: shapes,
// wires, free-leg stubs, labels, groups and named coordinates, all in one
// coordinate system whose y axis points down (the units of the SVG output).
//
// A [Scene] is plain data. The layout package fills it in; the svg, tikz and
// raster packages turn it into bytes. Nothing here draws: the package only
// holds the geometry every renderer shares (the outline of each [Shape], the
// point where a ray leaves it, Bézier flattening) and the font metrics that
// size every [Label], so that a label's box is the box of its rendered text.
//
// # Conventions (Penrose graphical notation)
//
// A tensor is a shape with one leg per index. The shape tells the kind:
//
//	general   circle, or a rounded box when the name is long
//	isometry  triangle whose tip points toward the smaller leg(s)
//	unitary   square
//	delta     small filled dot (copy tensor, hyperedge)
//	identity  nothing: its two legs form one bare line
//	function  a bubble (rounded contour) around the sub-network it is applied to
//	hole      dashed empty circle (the place of a removed tensor in a derivative)
//	join      nothing: the point where legs merge into a grouped leg (i l)
//	add       small blue circle with "+": a sum on a residual stream
//	copy      small pink dot: a tensor copied off a residual stream
//
// Joined legs are wires whose thickness grows with log(dimension); free legs
// are short labelled stubs. A sum of networks is a row of terms separated by
// "+"/"−" glyphs and coefficients; an equation puts sides next to each other
// around "=".
//
// # JSON
//
// A Scene marshals with encoding/json to the scene contract used by scripts:
//
//	{"nodes":[{"id","label","kind","x","y","w","h",…}],
//	 "wires":[{"from","to","leg","points":[[x,y],…],…}],
//	 "stubs":[{"node","leg","points":[[x,y],…],…}],
//	 "labels":[{"text","x","y","w","h",…}], …}
//
// Every box is given by its centre (x, y) and its size (w, h); a hyperedge's
// dot is a node of kind "delta"; a wire's points run from the boundary of its
// "from" node to the boundary of its "to" node. Extra keys (shape, width,
// groups, …) follow; numbers are rounded to 1/100 of a unit.
//
// # Label text
//
// Label text is a small TeX-like markup parsed by [ParseText]: "W_1", "W_{up}",
// "A^T", "V^†", with "\" escaping "_", "^", "{", "}" and "\" itself. Unicode
// subscript and superscript characters ("W₁", "Aᵀ") read as the same markup.
// A word of one Latin letter is set in italic, as in mathematics; longer words
// ("Match", "seq pos") are upright.
package diagram
