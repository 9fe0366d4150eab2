package path

import (
	"sync"
	"time"
)

// preset is a recipe for the "auto" methods.
type preset struct {
	exactTerms   int           // solve up to this many terms with "optimal"
	quickRepeats int           // random-greedy trials before dp, for a good bound
	dpWork       int           // candidate pairs that dp may examine (0: no limit)
	dpShare      float64       // share of the remaining time budget dp may use
	repeats      int           // random-greedy trials after a failed dp
	reconfMax    int           // largest subtree reconfigured (from reconfStart)
	reconfPasses int           // passes per subtree size (0: until no improvement)
	budget       time.Duration // default MaxTime (0: none)
}

// reconfStart is the first subtree size for reconfiguration (cotengra's default).
const reconfStart = 8

var (
	// autoPreset is fast and deterministic: its limits count work, not time.
	autoPreset = preset{exactTerms: 12, quickRepeats: 32, dpWork: 8e6, dpShare: 1,
		reconfMax: 8, reconfPasses: 1}
	// hqPreset spends up to 30 s.
	hqPreset = preset{exactTerms: 16, quickRepeats: 64, dpWork: 4e8, dpShare: 0.4,
		repeats: 1024, reconfMax: 12, budget: 30 * time.Second}
)

// runAuto is the fast preset: "optimal" up to 12 terms; otherwise 32
// random-greedy trials and one pass of subtree reconfiguration (8 leaves), then
// connected dp capped by that cost when it finishes within 8·10^6 candidate pairs
// (under a second). Its limits count work, so it returns the same path on any
// machine (unless MaxTime cuts it short).
func runAuto(s *search) { s.runPreset(autoPreset) }

// runAutoHQ is the thorough preset: "optimal" up to 16 terms; otherwise 64
// random-greedy trials and a pass of reconfiguration for a first bound, connected
// dp within 4·10^8 candidate pairs and 40% of the time left, and when dp does not
// finish, up to 1024 more trials and subtree reconfiguration of the best tree with
// subtrees of 8 to 12 leaves; 30 s unless MaxTime says otherwise. It stops early
// when reconfiguration converges.
func runAutoHQ(s *search) { s.runPreset(hqPreset) }

func (s *search) runPreset(p preset) {
	if s.deadline.IsZero() && p.budget > 0 {
		s.deadline = time.Now().Add(p.budget)
	}
	if s.m.n <= 2 {
		return
	}
	if s.m.n <= p.exactTerms {
		if runOptimal(s); s.optimal || s.expired() {
			return
		}
	}
	// A good bound first: dp's cost cap stops there.
	s.randomTrials(p.quickRepeats)
	s.reconfigureBest(reconfStart, 1)
	full := s.deadline
	if !full.IsZero() && p.dpShare < 1 {
		s.deadline = time.Now().Add(time.Duration(float64(time.Until(full)) * p.dpShare))
	}
	t, ok := s.m.dpOptimal(s.obj, false, s.bound(), s.dpLimits(p.dpWork))
	s.deadline = full
	if ok {
		s.offer(t)
		return
	}
	if p.repeats == 0 || s.expired() {
		return
	}
	// Leave most of the remaining time to reconfiguration.
	if !full.IsZero() {
		s.deadline = time.Now().Add(time.Until(full) / 3)
	}
	s.randomTrials(p.repeats)
	s.deadline = full
	s.reconfigureBest(p.reconfMax, p.reconfPasses)
}

// reconfigureBest polishes the best tree by subtree reconfiguration with subtrees
// growing from reconfStart to maxSize leaves, until the search expires; workers
// try successive sizes in parallel on the best tree so far.
func (s *search) reconfigureBest(maxSize, passes int) {
	for size := reconfStart; size <= maxSize && !s.expired(); size += max(1, s.opts.Workers) {
		var wg sync.WaitGroup
		for w := 0; w < s.opts.Workers && size+w <= maxSize; w++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				s.mu.Lock()
				t := append(tree(nil), s.best...)
				s.mu.Unlock()
				s.offer(s.reconfigure(t, k, passes))
			}(size + w)
		}
		wg.Wait()
	}
}
