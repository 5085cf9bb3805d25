// Package dts is the neutral model that every cloud provider fills and the
// collector reads. Providers translate their API answers into Job values; the
// collector knows nothing about any cloud's wire format.
package dts

import (
	"context"
	"strings"
	"time"
)

// Kind says which family of DTS task a job belongs to.
type Kind string

// Job kinds.
const (
	KindSync      Kind = "sync"
	KindMigration Kind = "migration"
)

// Phase is the normalized life-cycle state of a job, the same for every cloud,
// so that dashboards and alerts need no per-provider status lists.
type Phase string

// The fixed set of phases. Providers map every raw status onto one of them.
const (
	PhasePending      Phase = "pending"
	PhaseChecking     Phase = "checking"
	PhaseCheckFailed  Phase = "check_failed"
	PhaseInitializing Phase = "initializing"
	PhaseRunning      Phase = "running"
	PhasePaused       Phase = "paused"
	PhaseFailed       Phase = "failed"
	PhaseFinished     Phase = "finished"
	PhaseUnknown      Phase = "unknown"
)

// Phases lists every phase in a stable order: the members of the
// dts_job_phase state set.
var Phases = []Phase{
	PhasePending, PhaseChecking, PhaseCheckFailed, PhaseInitializing,
	PhaseRunning, PhasePaused, PhaseFailed, PhaseFinished, PhaseUnknown,
}

// StepStatus is the normalized status of one step of a job.
type StepStatus string

// The fixed set of step statuses: the members of the dts_job_step_status state set.
const (
	StepNotStarted StepStatus = "not_started"
	StepRunning    StepStatus = "running"
	StepFinished   StepStatus = "finished"
	StepFailed     StepStatus = "failed"
	StepSkipped    StepStatus = "skipped"
	StepPaused     StepStatus = "paused"
)

// StepStatuses lists every step status in a stable order.
var StepStatuses = []StepStatus{
	StepNotStarted, StepRunning, StepFinished, StepFailed, StepSkipped, StepPaused,
}

// Job is one DTS task as the exporter sees it. Optional figures are pointers:
// nil means the API gave no usable value (null, missing, or a "not applicable"
// sentinel such as Tencent's -1), and produces no sample, never a fake zero.
type Job struct {
	Provider string
	Account  string
	Region   string
	Kind     Kind
	ID       string
	// Direction is "forward" or "reverse" for the two directions of a
	// two-way job, and empty for a one-way job.
	Direction string
	Name      string
	// Type is the link type, e.g. "mysql2mysql".
	Type      string
	SrcDBType string
	DstDBType string
	SrcRegion string
	DstRegion string

	// Status is the raw status string from the API.
	Status string
	Phase  Phase

	// Progress is the overall progress as a ratio in [0, 1].
	Progress *float64
	// StepCurrent and StepTotal are the current step number and the number of steps.
	StepCurrent *float64
	StepTotal   *float64
	Steps       []Step

	// DelaySeconds is how far the target is behind the source, in seconds.
	DelaySeconds *float64
	// LagBytes is the data volume the target is behind the source, in bytes.
	LagBytes *float64
	// RecordsPerSecond is the rate at which the job applies records (rows or
	// statements, as the cloud counts them).
	RecordsPerSecond *float64
	// FlowBytesPerSecond is the job's data throughput in bytes per second.
	FlowBytesPerSecond *float64
	// CheckpointSeconds is the Unix time of the last record the job applied.
	CheckpointSeconds *float64
}

// Direction values of two-way jobs.
const (
	DirectionForward = "forward"
	DirectionReverse = "reverse"
)

// Step is one step of a job (structure init, full export, incremental sync...).
type Step struct {
	No     uint64
	ID     string
	Name   string
	Status StepStatus
	// RawStatus is the API's own value, kept for logs when it is not one we know.
	RawStatus string
	// Progress is the step's progress as a ratio in [0, 1].
	Progress *float64
}

// Source is one collection target: an (account, region) of one cloud.
// Collect runs every API family the target is configured for and reports each
// one's outcome, so that one failing family does not hide the others' jobs.
type Source interface {
	Collect(ctx context.Context) Snapshot
}

// Snapshot is the outcome of one collection round of a target.
type Snapshot struct {
	Jobs     []Job
	Checks   []Check
	Families []FamilyResult
}

// Err returns the first family error, or nil if every family succeeded.
func (s Snapshot) Err() error {
	for _, f := range s.Families {
		if f.Err != nil {
			return f.Err
		}
	}
	return nil
}

// FamilyResult is the outcome of one API family (e.g. sync_jobs) in a round.
type FamilyResult struct {
	Name string
	// Kinds are the kinds of job the family lists, if it lists jobs.
	Kinds    []Kind
	Duration time.Duration
	Err      error
}

// CallObserver is told about every cloud API call a source makes, for the
// exporter's own request counters and latency histogram. err is nil on success.
type CallObserver func(action string, took time.Duration, err error)

// LinkType is a job's link type, <src>2<dst> in lower case (mysql2mysql), as
// Tencent's JobType filter spells it; empty when a side is unknown.
func LinkType(src, dst string) string {
	if src == "" || dst == "" {
		return ""
	}
	return strings.ToLower(src + "2" + dst)
}

// Float returns a pointer to v, for the optional fields of Job.
func Float(v float64) *float64 { return &v }
