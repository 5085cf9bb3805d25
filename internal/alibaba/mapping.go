package alibaba

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// phases maps every job Status of the Synchronization* APIs and of
// DescribeDtsJobs (sync and migration) onto a phase. Keys are lower case: the
// APIs and their documentation disagree on case (Synchronizing,
// synchronizing), and the zh documentation spells Initializing
// "initializating".
var phases = map[string]dts.Phase{
	"notstarted":       dts.PhasePending,
	"notconfigured":    dts.PhasePending,
	"prechecking":      dts.PhaseChecking,
	"precheckpass":     dts.PhasePending, // checked, not started
	"precheckfailed":   dts.PhaseCheckFailed,
	"initializing":     dts.PhaseInitializing,
	"initializating":   dts.PhaseInitializing,
	"initializefailed": dts.PhaseFailed,
	"synchronizing":    dts.PhaseRunning,
	"migrating":        dts.PhaseRunning,
	"modifying":        dts.PhaseRunning, // objects being changed; the job goes on
	"retrying":         dts.PhaseRunning, // hit an error, retrying by itself
	"upgrade":          dts.PhaseRunning, // instance class change
	"downgrade":        dts.PhaseRunning,
	"failed":           dts.PhaseFailed,
	"migrationfailed":  dts.PhaseFailed,
	"suspending":       dts.PhasePaused,
	"locked":           dts.PhasePaused, // instance locked (overdue payment): not moving
	"finished":         dts.PhaseFinished,
}

// Phase returns the phase of a job Status, compared case-insensitively; an
// unknown value is PhaseUnknown.
func Phase(status string) dts.Phase {
	if p, ok := phases[strings.ToLower(strings.TrimSpace(status))]; ok {
		return p
	}
	return dts.PhaseUnknown
}

// stageStatuses maps the status of a stage (structure initialization, data
// initialization, data synchronization).
var stageStatuses = map[string]dts.StepStatus{
	"notstarted": dts.StepNotStarted,
	"migrating":  dts.StepRunning,
	"checking":   dts.StepRunning,
	"catched":    dts.StepRunning, // incremental stage caught up: still running
	"finished":   dts.StepFinished,
	"failed":     dts.StepFailed,
	"suspending": dts.StepPaused,
}

// checkStatuses maps PrecheckStatus.Status. The APIs have one field for the
// check task and its verdict: Failed means the check did not pass.
var checkStatuses = map[string]dts.CheckStatus{
	"notstarted":     dts.CheckNotStarted,
	"prechecking":    dts.CheckRunning,
	"checking":       dts.CheckRunning,
	"suspending":     dts.CheckRunning,
	"failed":         dts.CheckFailed,
	"precheckfailed": dts.CheckFailed,
	"success":        dts.CheckSuccess,
	"finished":       dts.CheckSuccess,
	"precheckpass":   dts.CheckSuccess,
}

// checkItemStatuses maps the result of one pre-check item.
var checkItemStatuses = map[string]dts.CheckStepStatus{
	"success":    dts.CheckStepPass,
	"pass":       dts.CheckStepPass,
	"warning":    dts.CheckStepWarning,
	"failed":     dts.CheckStepFailed,
	"checking":   dts.CheckStepRunning,
	"notstarted": dts.CheckStepNotStarted,
}

// The three stages of a job, as steps.
var stageSteps = [3]struct{ id, name string }{
	{"structure_initialization", "Structure initialization"},
	{"data_initialization", "Data initialization"},
	{"data_synchronization", "Data synchronization"},
}

// replicating are the phases in which a job can be behind its source: only
// they have a delay.
var replicating = map[dts.Phase]bool{
	dts.PhaseInitializing: true, dts.PhaseRunning: true, dts.PhasePaused: true,
	dts.PhaseFailed: true, dts.PhaseUnknown: true,
}

// bytesPerMB converts FLOW, documented in MB/s, to bytes. The API does not
// say whether MB means 10^6 or 2^20 bytes; we take 2^20 (MiB), as for
// Tencent's lag.
const bytesPerMB = 1 << 20

// fields is what the exporter reads of one direction of one job, whichever
// API it came from.
type fields struct {
	kind      dts.Kind
	id        string
	direction string
	name      string
	status    string
	src, dst  endpoint

	// delayMillis is preferred; delaySeconds is the fallback.
	delayMillis, delaySeconds text
	rps, flow, checkpoint     text

	// enabled says whether a stage is part of the job ("false" = skipped).
	enabled [3]text
	stages  [3]stage

	checkStatus, checkPercent text
	checkItems                []checkItem
}

type checkItem struct{ id, name, result text }

// job translates one direction of one job into the neutral model.
func (s *Source) job(f fields) dts.Job {
	job := dts.Job{
		Provider:  ProviderName,
		Account:   s.account.Name,
		Region:    s.region,
		Kind:      f.kind,
		ID:        f.id,
		Direction: f.direction,
		Name:      f.name,
		SrcDBType: strings.ToLower(f.src.EngineName.String()),
		DstDBType: strings.ToLower(f.dst.EngineName.String()),
		SrcRegion: f.src.Region.String(),
		DstRegion: f.dst.Region.String(),
		Status:    f.status,
		Phase:     Phase(f.status),
	}
	job.Type = dts.LinkType(job.SrcDBType, job.DstDBType)
	if job.Phase == dts.PhaseUnknown {
		s.logger.Debug("unknown job status", "job_id", f.id, "status", f.status)
	}
	log := func(field string, v text) {
		s.logger.Debug("no usable value", "job_id", f.id, "direction", f.direction, "field", field, "value", v.String())
	}

	ms, msOK := number(f.delayMillis)
	sec, secOK := number(f.delaySeconds)
	switch {
	case !replicating[job.Phase]:
		// DescribeDtsJobs sends Delay 0 for jobs that have nothing to be
		// behind on; that is no delay, not a zero one.
	case msOK && ms >= 0:
		job.DelaySeconds = dts.Float(ms / 1000)
	case secOK && sec >= 0:
		job.DelaySeconds = dts.Float(sec)
	default:
		log("Delay", f.delaySeconds)
	}
	if v, ok := number(f.rps); ok && v >= 0 {
		job.RecordsPerSecond = dts.Float(v)
	} else {
		log("Performance.RPS", f.rps)
	}
	if v, ok := flowBytes(f.flow); ok && v >= 0 {
		job.FlowBytesPerSecond = dts.Float(v)
	} else {
		log("Performance.FLOW", f.flow)
	}
	if v, ok := number(f.checkpoint); ok && v > 0 {
		job.CheckpointSeconds = dts.Float(v)
	} else if f.checkpoint != "" {
		log("Checkpoint", f.checkpoint)
	}

	job.StepTotal = dts.Float(float64(len(stageSteps)))
	// The current step is the first that runs, failed or is paused; else
	// the last one done.
	current, lastDone := 0, 0
	for k, def := range stageSteps {
		st := f.stages[k]
		step := dts.Step{No: uint64(k + 1), ID: def.id, Name: def.name, RawStatus: st.Status.String()}
		switch {
		case f.enabled[k].isFalse():
			step.Status = dts.StepSkipped
		case step.RawStatus != "":
			var known bool
			step.Status, known = stageStatuses[strings.ToLower(step.RawStatus)]
			if !known {
				s.logger.Debug("unknown stage status", "job_id", f.id, "step_id", def.id, "status", step.RawStatus)
			}
		default:
			step.Status = impliedStage(job.Phase, k)
		}
		if p, ok := number(st.Percent); ok && p >= 0 && p <= 100 {
			step.Progress = dts.Float(p / 100)
		}
		switch step.Status {
		case dts.StepRunning, dts.StepFailed, dts.StepPaused:
			if current == 0 {
				current = k + 1
			}
		case dts.StepFinished:
			lastDone = k + 1
		}
		job.Steps = append(job.Steps, step)
	}
	if current == 0 {
		current = lastDone
	}
	job.StepCurrent = dts.Float(float64(current))
	// Overall progress is the full data load's, while it runs (as Tencent
	// reports progress only during the full load).
	if data := job.Steps[1]; data.Status == dts.StepRunning && data.Progress != nil {
		job.Progress = dts.Float(*data.Progress)
	}
	return job
}

// impliedStage is the status of a stage the answer leaves empty, where the
// job's phase tells it: nothing has started before the job has; a running or
// paused job is in its last stage (the list API and some answers leave the
// data synchronization stage out); an ended job has ended it.
func impliedStage(phase dts.Phase, k int) dts.StepStatus {
	last := k == len(stageSteps)-1
	switch phase {
	case dts.PhasePending, dts.PhaseChecking, dts.PhaseCheckFailed:
		return dts.StepNotStarted
	case dts.PhaseRunning, dts.PhasePaused, dts.PhaseFinished:
		switch {
		case !last, phase == dts.PhaseFinished:
			return dts.StepFinished
		case phase == dts.PhasePaused:
			return dts.StepPaused
		}
		return dts.StepRunning
	}
	return ""
}

// check translates a job's pre-check; ok is false when the answer has none.
func (s *Source) check(f fields) (dts.Check, bool) {
	raw := f.checkStatus.String()
	if raw == "" && len(f.checkItems) == 0 {
		return dts.Check{}, false
	}
	c := dts.Check{
		Provider: ProviderName, Account: s.account.Name, Region: s.region,
		Kind: f.kind, JobID: f.id, Direction: f.direction, RawStatus: raw,
	}
	var known bool
	if c.Status, known = checkStatuses[strings.ToLower(raw)]; !known {
		s.logger.Debug("unknown pre-check status", "job_id", f.id, "status", raw)
	}
	if p, ok := number(f.checkPercent); ok && p >= 0 && p <= 100 {
		c.Progress = dts.Float(p / 100)
	}
	for i, item := range f.checkItems {
		st := dts.CheckStep{No: uint64(i + 1), ID: item.id.String(), Name: item.name.String(), RawStatus: item.result.String()}
		if st.Name == "" {
			st.Name = st.ID
		}
		if st.Status, known = checkItemStatuses[strings.ToLower(st.RawStatus)]; !known {
			s.logger.Debug("unknown pre-check item status", "job_id", f.id, "item", st.ID, "status", st.RawStatus)
		}
		switch st.Status {
		case dts.CheckStepFailed:
			st.Errors = 1
		case dts.CheckStepWarning:
			st.Warnings = 1
		}
		c.Steps = append(c.Steps, st)
	}
	c.Passed = dts.DerivePassed(c)
	return c, true
}

var numberRE = regexp.MustCompile(`^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`)

// number parses a figure the API sends as a string or a number, ignoring a
// trailing unit ("100", "100RPS", 856). Empty or unparsable gives ok false.
func number(t text) (float64, bool) {
	v, _, ok := splitUnit(t)
	return v, ok
}

func splitUnit(t text) (float64, string, bool) {
	s := t.String()
	m := numberRE.FindString(s)
	if m == "" {
		return 0, "", false
	}
	v, err := strconv.ParseFloat(m, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, "", false
	}
	return v, strings.TrimSpace(s[len(m):]), true
}

// flowUnits are the units FLOW may carry, in bytes; bare numbers are MB/s,
// the documented unit.
var flowUnits = map[string]float64{
	"":     bytesPerMB,
	"b":    1,
	"kb":   1 << 10,
	"mb":   bytesPerMB,
	"gb":   1 << 30,
	"kbit": (1 << 10) / 8.0,
	"mbit": bytesPerMB / 8.0,
	"gbit": (1 << 30) / 8.0,
}

// flowBytes parses FLOW ("1", "1.5", "0.00MB/s", "512KB/s") into bytes per
// second. An unknown unit gives ok false rather than a wrong number.
func flowBytes(t text) (float64, bool) {
	v, unit, ok := splitUnit(t)
	if !ok {
		return 0, false
	}
	unit = strings.TrimSuffix(strings.ToLower(unit), "/s")
	scale, known := flowUnits[unit]
	if !known {
		return 0, false
	}
	return v * scale, true
}
