// Command strand turns tensor-network notation into diagrams and numbers.
// Run `strand help` for the commands.
package main

import (
	"os"

	"github.com/strand-tn/strand/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.Stdio())) }
