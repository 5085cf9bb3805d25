package simulator

import (
	"math"
	"time"
)

// Pre-checks. A job in Checking runs its check step by step; when the last
// step is done the job moves to CheckPass or CheckNotPass, and after a
// while the user runs the check again. The cycle is a pure function of the
// clock, so a fixed clock freezes it.

// tcCheckSteps are the check steps, as the vendor examples name them.
var tcCheckSteps = []struct{ id, name string }{
	{"ConnectDBCheck", "Database connection check"},
	{"VersionCheck", "Version check"},
	{"SrcPrivilegeCheck", "Source instance permission check"},
	{"SimpleParamCheck", "Partial instance parameter check"},
	{"DstPrivilegeCheck", "Target instance permission check"},
	{"DstEmptyCheck", "Target instance content conflict check"},
	{"DstSpaceCheck", "Target instance space check"},
	{"OptimizeCheck", "Peripheral check"},
}

const (
	checkStepSeconds = 10
	checkSeconds     = checkStepSeconds * 8 // len(tcCheckSteps)
	// checkPeriod is how often a checked job is checked again.
	checkPeriod = 300
)

// checkOutcome is how job i's check ends.
type checkOutcome int

const (
	outcomePass checkOutcome = iota
	outcomeWarn              // passes with a warning on SrcPrivilegeCheck
	outcomeFail              // DstEmptyCheck fails: the target is not empty
)

// checkPosition is how far (seconds) job i is into its check cycle. At the
// epoch every job is inside its check, at a different step.
func checkPosition(epoch, now time.Time, i int) float64 {
	offset := float64((i * 13) % checkSeconds)
	return math.Mod(math.Max(0, now.Sub(epoch).Seconds())+offset, checkPeriod)
}

// outcomeOf says how the check of job i ends, for a status that has ended it.
func outcomeOf(status string, i int) checkOutcome {
	switch status {
	case "CheckNotPass", "checkNotPass":
		return outcomeFail
	case "CheckPass", "checkPass":
		if i%2 == 1 {
			return outcomeWarn
		}
		return outcomePass
	}
	return outcomePass
}

// checkCycleStatus turns a Checking job into CheckPass or CheckNotPass once
// its check is over (one job in three fails).
func checkCycleStatus(status string, epoch, now time.Time, i int) string {
	if status != "Checking" || checkPosition(epoch, now, i) < checkSeconds {
		return status
	}
	if i%3 == 0 {
		return "CheckNotPass"
	}
	return "CheckPass"
}

// checkProgress describes a check at one moment: how many steps are done,
// whether it still runs, and how it ends.
type checkProgress struct {
	running bool
	done    int // steps finished
	percent int64
	outcome checkOutcome
}

// progressOf is the check of job i with status at time now.
func progressOf(status string, epoch, now time.Time, i int) checkProgress {
	if status == "Checking" || status == "checking" {
		pos := checkPosition(epoch, now, i)
		// The outcome a running check will have, for the steps done so far.
		out := outcomePass
		switch {
		case i%3 == 0:
			out = outcomeFail
		case i%2 == 1:
			out = outcomeWarn
		}
		return checkProgress{running: true, done: int(pos / checkStepSeconds), percent: int64(100 * pos / checkSeconds), outcome: out}
	}
	return checkProgress{done: len(tcCheckSteps), percent: 100, outcome: outcomeOf(status, i)}
}
