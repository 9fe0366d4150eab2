// Package cli is strand's command table, shared by the command-line program
// and the studio: each command parses its arguments, does its work through the
// library packages and reports errors as values, never by exiting or panicking.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is what a command may touch: its input and output streams.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Command is one entry of the command table.
type Command struct {
	Name    string
	Usage   string // arguments, e.g. "EXPR FILE.npy... -o OUT.npy"
	Summary string
	// Flags declares the command's flags on fs and returns the function that
	// runs it with the positional arguments.
	Flags func(fs *flag.FlagSet) func(env *Env, args []string) error
}

// commands is the table; each file registers its commands in init.
var commands = map[string]*Command{}

func register(c *Command) { commands[c.Name] = c }

// UsageError marks an error in how a command was called; the CLI prints the
// command's usage after it and exits with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// Main runs strand with the command-line arguments (without the program
// name) and returns the process exit status: 0 on success, 1 on failure,
// 2 on a usage error. Errors are printed to env.Stderr prefixed "strand: ".
func Main(args []string, env *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				printCommandUsage(env.Stdout, c)
				return 0
			}
		}
		printUsage(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "strand: unknown command %q\n\n", args[0])
		printUsage(env.Stderr)
		return 2
	}
	fs := flag.NewFlagSet("strand "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.Flags(fs)
	pos, err := parseInterleaved(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(env.Stdout, c)
		return 0
	}
	if err == nil {
		err = run(env, pos)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(env.Stderr, formatError(err))
	var ue *UsageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr)
		printCommandUsage(env.Stderr, c)
		return 2
	}
	return 1
}

// formatError renders err for the terminal: "strand: " and the message, with
// the input line and a caret under the fault when the error has a position.
func formatError(err error) string {
	msg := err.Error()
	if !strings.HasPrefix(msg, "strand: ") {
		msg = "strand: " + msg
	}
	var pe interface{ Context() string }
	if errors.As(err, &pe) {
		if c := pe.Context(); c != "" {
			msg += "\n" + c
		}
	}
	return msg
}

// parseInterleaved parses flags that may appear before, between or after the
// positional arguments (scripts write `strand eval EXPR a.npy -o out.npy`).
// "--" ends flag parsing. A lone "-" and arguments such as "->" are positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), nil
		}
		if !isFlag(a) {
			pos = append(pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		hasValue := false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, hasValue = name[:eq], true
		}
		if name == "h" || name == "help" {
			return nil, flag.ErrHelp
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, usagef("unknown flag %s", a)
		}
		chunk := []string{a}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			if i+1 >= len(args) {
				return nil, usagef("flag %s needs a value", a)
			}
			i++
			chunk = append(chunk, args[i])
		}
		if err := fs.Parse(chunk); err != nil {
			return nil, usagef("%v", err)
		}
	}
	return pos, nil
}

// isFlag reports whether a looks like -x or --xyz (a letter after the dashes).
func isFlag(a string) bool {
	s := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if s == a || s == "" {
		return false
	}
	c := s[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "strand: graphical tensor notation — diagrams and numbers from one text")
	fmt.Fprintln(w, "\nUsage: strand COMMAND [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun 'strand help COMMAND' for a command's arguments and flags.")
}

func printCommandUsage(w io.Writer, c *Command) {
	fmt.Fprintf(w, "Usage: strand %s %s\n\n%s\n", c.Name, c.Usage, c.Summary)
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	c.Flags(fs)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// Stdio is the Env of the running process.
func Stdio() *Env { return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }
