module github.com/strand-tn/strand

go 1.26.8

require (
	golang.org/x/image v0.48.0
	golang.org/x/sys v0.50.0
	gonum.org/v1/gonum v0.17.0
)

require golang.org/x/text v0.44.0 // indirect
