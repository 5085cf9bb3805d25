package tencent

import (
	"strings"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// syncPhases maps every sync job Status of API 2021-12-06 (SyncJobInfo.Status)
// onto a phase. Keys are lower case: the API's case is not consistent across
// its job kinds.
var syncPhases = map[string]dts.Phase{
	"uninitialized": dts.PhasePending,      // created, not configured
	"initialized":   dts.PhasePending,      // configured, not checked
	"checking":      dts.PhaseChecking,     // pre-check running
	"checkpass":     dts.PhasePending,      // pre-check passed, not started
	"checknotpass":  dts.PhaseCheckFailed,  // pre-check failed
	"readyrunning":  dts.PhaseInitializing, // starting
	"running":       dts.PhaseRunning,
	"pausing":       dts.PhasePaused,
	"paused":        dts.PhasePaused,
	"stopping":      dts.PhaseFinished, // being ended by the user
	"stopped":       dts.PhaseFinished, // ended
	"resumableerr":  dts.PhaseFailed,   // job error, can be resumed
	"resuming":      dts.PhaseRunning,
	"failed":        dts.PhaseFailed,
	"released":      dts.PhaseFinished,
	"resetting":     dts.PhasePending,
	"unknown":       dts.PhaseUnknown,
}

// SyncPhase returns the phase of a sync job Status; an unknown value is
// PhaseUnknown.
func SyncPhase(status string) dts.Phase {
	if p, ok := syncPhases[strings.ToLower(status)]; ok {
		return p
	}
	return dts.PhaseUnknown
}

// stepStatuses maps StepInfo.Status; "success" is the documented spelling
// of what the API returns as "finished".
var stepStatuses = map[string]dts.StepStatus{
	"notstarted": dts.StepNotStarted,
	"running":    dts.StepRunning,
	"finished":   dts.StepFinished,
	"success":    dts.StepFinished,
	"failed":     dts.StepFailed,
	"skipped":    dts.StepSkipped,
	"paused":     dts.StepPaused,
}

// StepStatus returns the normalized step status and whether the value is known.
func StepStatus(status string) (dts.StepStatus, bool) {
	s, ok := stepStatuses[strings.ToLower(status)]
	return s, ok
}
