package path

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure [Optimize]. The zero value runs "auto", minimising FLOPs with
// no memory limit.
type Options struct {
	// Method names the optimizer (see [Methods]); "" means "auto".
	Method string
	// Objective is what the search minimises.
	Objective Objective
	// MemoryLimit, when positive, is the most elements any intermediate may hold;
	// labels are sliced until the per-slice path fits.
	MemoryLimit int64
	// MaxTime bounds the search; when it runs out, the best path found so far is
	// returned. Zero means the method's default: 30 s for "auto-hq", none
	// otherwise ("auto" bounds its work instead; "random-greedy" runs Repeats
	// trials). "optimal", and "branch" with all branches, grow exponentially with
	// the number of terms: bound them on large problems.
	MaxTime time.Duration
	// Repeats is the number of random-greedy trials: 128 when zero and MaxTime is
	// zero, unlimited (until MaxTime) when zero and MaxTime is set.
	Repeats int
	// Seed seeds the random methods; equal seeds and Repeats give equal paths.
	Seed uint64
	// Workers is the number of goroutines for random-greedy; 0 means GOMAXPROCS.
	Workers int
	// Branches is the number of candidates "branch" tries at each step, best
	// first by the greedy heuristic; 0 tries them all.
	Branches int
	// Outer makes "dp" also combine sets of terms that share no label (outer
	// products). "dp" does so anyway for up to 8 terms.
	Outer bool
	// Progress, when set, is called (from one goroutine at a time) with the best
	// cost found whenever it improves.
	Progress func(best Cost)
}

// dpOuterTerms is the number of terms up to which "dp" searches outer products.
const dpOuterTerms = 8

// method is one registered optimizer. run improves s.best; exact methods that
// finish set s.optimal.
type method struct {
	doc string
	run func(s *search)
}

var registry = map[string]method{
	"greedy":        {"opt_einsum's greedy (deterministic)", func(*search) {}},
	"optimal":       {"exact DP over all subsets, outer products included", runOptimal},
	"dp":            {"exact DP over connected subsets with a cost cap (Pfeifer et al. 2014)", runDP},
	"branch":        {"depth-first branch and bound ordered by the greedy heuristic", runBranch},
	"random-greedy": {"Boltzmann-sampled greedy trials in parallel (Gray and Kourtis 2021)", runRandomGreedy},
	"auto":          {"fast, chosen by size: optimal, dp, then random-greedy with reconfiguration", runAuto},
	"auto-hq":       {"thorough: exact when small, else random-greedy and subtree reconfiguration (30 s)", runAutoHQ},
}

// Methods lists the registered method names, sorted.
func Methods() []string {
	names := make([]string, 0, len(registry))
	for name := range registry {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// MethodDoc returns a one-line description of a registered method ("" if none).
func MethodDoc(name string) string { return registry[strings.ToLower(name)].doc }

// search is the state shared by the methods of one Optimize call.
type search struct {
	ctx      context.Context
	m        *model
	obj      Objective
	opts     Options
	deadline time.Time

	mu       sync.Mutex
	best     tree
	bestCost Cost
	bestRank int64 // breaks ties between equal costs: lower wins
	optimal  bool
}

// offer records t if it beats the best tree so far; it is safe for concurrent use.
func (s *search) offer(t tree) bool { return s.offerRanked(t, s.cost(t), -1) }

// cost is what the search compares: the cost of t, or with a memory limit the cost
// over all slices once t is sliced to fit.
func (s *search) cost(t tree) Cost {
	c, presum, _ := s.m.treeEval(t, s.obj)
	if s.opts.MemoryLimit <= 0 {
		return c
	}
	_, sc, err := s.m.slice(s.m.treePath(t, presum), s.opts.MemoryLimit)
	if err != nil {
		// Optimize checked the limit; the path is complete by construction.
		panic("path: internal error: " + err.Error())
	}
	return sc
}

// offerRanked records t if it beats the best tree so far, or costs the same and
// has a lower rank (random trials rank by trial number, others by −1).
func (s *search) offerRanked(t tree, c Cost, rank int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.best != nil {
		better := s.obj.Better(c, s.bestCost)
		if !better && (s.obj.Better(s.bestCost, c) || rank >= s.bestRank) {
			return false
		}
		if !better {
			s.best, s.bestRank = slices.Clone(t), rank
			return true
		}
	}
	s.best, s.bestCost, s.bestRank = slices.Clone(t), c, rank
	if s.opts.Progress != nil {
		s.opts.Progress(c)
	}
	return true
}

// currentBest returns the best cost so far (taking the lock).
func (s *search) currentBest() Cost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bestCost
}

// bound is the primary cost of the best tree so far, a cap for exact searches;
// none with a memory limit, where costs compare after slicing.
func (s *search) bound() float64 {
	if s.opts.MemoryLimit > 0 {
		return math.Inf(1)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.obj.primary(s.bestCost)
}

// expired reports whether the search must stop.
func (s *search) expired() bool {
	return s.ctx.Err() != nil || !s.deadline.IsZero() && time.Now().After(s.deadline)
}

// dpLimits bounds an exact search by the search's expiry and by maxWork candidate
// pairs (none when zero).
func (s *search) dpLimits(maxWork int) dpLimits {
	return dpLimits{stop: s.expired, maxWork: maxWork}
}

func runOptimal(s *search) {
	t, ok := s.m.dpOptimal(s.obj, true, s.bound(), s.dpLimits(0))
	if ok {
		s.offer(t)
		s.optimal = true
	}
}

func runDP(s *search) {
	outer := s.opts.Outer || s.m.n <= dpOuterTerms
	t, ok := s.m.dpOptimal(s.obj, outer, s.bound(), s.dpLimits(0))
	if ok {
		s.offer(t)
		s.optimal = outer
	}
}

// greedyTree returns Greedy's tree for m.
func (m *model) greedyTree() tree {
	if m.n == 1 {
		return tree{}
	}
	return treeFromSSA(m.greedySSA())
}

// Optimize finds a contraction order for p with the method and objective in opts
// and reports it. Every method starts from Greedy's path and returns the best path
// it found, so the result never costs more than Greedy's under the objective. With
// a memory limit, the result is sliced to fit (see [Info]); a limit below the
// output's size is an error naming the smallest feasible limit.
func Optimize(p Problem, opts Options) (Path, *Info, error) {
	return OptimizeContext(context.Background(), p, opts)
}

// OptimizeContext is [Optimize] with a context: cancelling it ends the search
// early, returning the best path found so far.
func OptimizeContext(ctx context.Context, p Problem, opts Options) (Path, *Info, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	name := strings.ToLower(opts.Method)
	if name == "" {
		name = "auto"
	}
	meth, ok := registry[name]
	if !ok {
		return nil, nil, fmt.Errorf("path: unknown method %q (have %s)", opts.Method, strings.Join(Methods(), ", "))
	}
	if opts.Objective < Flops || opts.Objective > Combo {
		return nil, nil, fmt.Errorf("path: unknown objective %d", int(opts.Objective))
	}
	if opts.MaxTime < 0 || opts.Repeats < 0 || opts.MemoryLimit < 0 || opts.Workers < 0 || opts.Branches < 0 {
		return nil, nil, fmt.Errorf("path: negative MaxTime, Repeats, MemoryLimit, Workers or Branches")
	}
	s := &search{ctx: ctx, m: newModel(p), obj: opts.Objective, opts: opts}
	if opts.MemoryLimit > 0 {
		if err := s.m.checkLimit(opts.MemoryLimit); err != nil {
			return nil, nil, err
		}
	}
	if opts.Workers == 0 {
		s.opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxTime > 0 {
		s.deadline = start.Add(opts.MaxTime)
	}
	s.offer(s.m.greedyTree())
	meth.run(s)
	_, presum, _ := s.m.treeEval(s.best, s.obj)
	path := s.m.treePath(s.best, presum)
	var sliced []int
	if opts.MemoryLimit > 0 {
		var err error
		if sliced, _, err = s.m.slice(path, opts.MemoryLimit); err != nil {
			return nil, nil, err
		}
	}
	info, err := AnalyzeSliced(p, path, sliced)
	if err != nil {
		return nil, nil, err
	}
	info.Method, info.Optimal, info.MemoryLimit = name, s.optimal && len(sliced) == 0, opts.MemoryLimit
	info.Elapsed = time.Since(start)
	return path, info, nil
}
