package tencent

import (
	"context"
	"strings"
	"sync"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// Pre-check results are the expensive part of a Tencent scrape: one call per
// job. The rule that bounds their cost:
//
//   - a job whose check is running (Checking) is asked on every scrape;
//   - a job whose check has finished (CheckPass, CheckNotPass) is asked once,
//     and the answer is reused until the job's status changes;
//   - any other job is not asked: it never ran a check, or has moved on and
//     its check is history.
//
// So a steady fleet costs one check call per checking job per scrape.

// checkState says whether a job's pre-check can still change.
type checkState int

const (
	checkNone    checkState = iota // nothing to ask
	checkRunning                   // ask on every scrape
	checkDone                      // ask once per job status, then reuse
)

// checkWorkers bounds the check calls one target has in flight; the rate
// limiter bounds their rate.
const checkWorkers = 4

// checkKind describes one pre-check API.
type checkKind struct {
	kind   dts.Kind
	action string
	state  func(jobStatus string) checkState
	fetch  func(s *Source, ctx context.Context, jobID string) (dts.Check, error)
}

var syncChecks = checkKind{
	kind:   dts.KindSync,
	action: "DescribeCheckSyncJobResult",
	state:  statusCheckState,
	fetch:  (*Source).fetchSyncCheck,
}

var migrationChecks = checkKind{
	kind:   dts.KindMigration,
	action: "DescribeMigrationCheckJob",
	state:  statusCheckState,
	fetch:  (*Source).fetchMigrationCheck,
}

// statusCheckState reads the check state from a sync or migration job
// status of API 2021-12-06 (CheckPass for sync, checkPass for migration).
func statusCheckState(status string) checkState {
	switch strings.ToLower(status) {
	case "checking":
		return checkRunning
	case "checkpass", "checknotpass":
		return checkDone
	}
	return checkNone
}

// checkCache keeps finished checks with the job status they were read at.
type checkCache struct {
	mu sync.Mutex
	m  map[string]cachedCheck
}

type cachedCheck struct {
	jobStatus string
	check     dts.Check
}

func newCheckCache() *checkCache { return &checkCache{m: map[string]cachedCheck{}} }

func (c *checkCache) get(key, jobStatus string) (dts.Check, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.jobStatus != jobStatus {
		return dts.Check{}, false
	}
	return e.check, true
}

func (c *checkCache) put(key, jobStatus string, check dts.Check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = cachedCheck{jobStatus: jobStatus, check: check}
}

// retain drops the entries of one action whose jobs are gone or no longer
// in a check status, so the cache never outgrows the fleet.
func (c *checkCache) retain(action string, live map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.m {
		if strings.HasPrefix(key, action+"/") && !live[key] {
			delete(c.m, key)
		}
	}
}

// collectChecks returns the pre-checks of jobs, asking the API only for the
// checks that can have changed. A job whose check the API does not know
// (not found) has no check; any other failure is the family's error, and the
// checks that were read are still returned.
func (s *Source) collectChecks(ctx context.Context, ck checkKind, jobs []dts.Job) ([]dts.Check, error) {
	var (
		out     []dts.Check
		pending []dts.Job
		live    = map[string]bool{}
	)
	for _, job := range jobs {
		state := ck.state(job.Status)
		if state == checkNone {
			continue
		}
		key := ck.action + "/" + job.ID
		live[key] = true
		if state == checkDone {
			if c, ok := s.checks.get(key, job.Status); ok {
				out = append(out, c)
				continue
			}
		}
		pending = append(pending, job)
	}
	s.checks.retain(ck.action, live)

	type result struct {
		check dts.Check
		err   error
	}
	results := make([]result, len(pending))
	sem := make(chan struct{}, checkWorkers)
	var wg sync.WaitGroup
	for i, job := range pending {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := ck.fetch(s, ctx, job.ID)
			results[i] = result{c, err}
		})
	}
	wg.Wait()

	var firstErr error
	for i, r := range results {
		job := pending[i]
		if r.err != nil {
			if dts.ClassOf(r.err) == dts.ClassNotFound {
				s.logger.Debug("no pre-check result for job", "job_id", job.ID, "status", job.Status, "err", r.err)
				continue
			}
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		c := r.check
		c.Provider, c.Account, c.Region, c.Kind, c.JobID = ProviderName, s.account.Name, s.region, ck.kind, job.ID
		if ck.state(job.Status) == checkDone && (c.Status == dts.CheckSuccess || c.Status == dts.CheckFailed) {
			s.checks.put(ck.action+"/"+job.ID, job.Status, c)
		}
		out = append(out, c)
	}
	return out, firstErr
}

// checkStatuses maps the status of a check task; the 2018-03-30 API spells
// it starting/running/finished.
var checkStatuses = map[string]dts.CheckStatus{
	"notstarted":  dts.CheckNotStarted,
	"unavailable": dts.CheckNotStarted,
	"starting":    dts.CheckRunning,
	"running":     dts.CheckRunning,
	"failed":      dts.CheckFailed,
	"success":     dts.CheckSuccess,
	"finished":    dts.CheckSuccess,
}

// CheckStatus returns the normalized status of a check task and whether the
// value is known.
func CheckStatus(status string) (dts.CheckStatus, bool) {
	c, ok := checkStatuses[strings.ToLower(status)]
	return c, ok
}

func (s *Source) fetchSyncCheck(ctx context.Context, jobID string) (dts.Check, error) {
	const action = "DescribeCheckSyncJobResult"
	req := dtsapi.NewDescribeCheckSyncJobResultRequest()
	req.JobId = common.StringPtr(jobID)
	var resp *dtsapi.DescribeCheckSyncJobResultResponse
	err := s.call(ctx, action, func(ctx context.Context, c *dtsapi.Client) error {
		var err error
		resp, err = c.DescribeCheckSyncJobResultWithContext(ctx, req)
		return err
	})
	if err != nil {
		return dts.Check{}, err
	}
	if resp == nil || resp.Response == nil {
		return dts.Check{}, emptyResponse(action)
	}
	return s.syncCheck(jobID, resp.Response), nil
}

// syncCheckSteps maps a check step's StepInfo.Status. A finished step is
// pass, warning or failed by its Errors and Warnings.
var syncCheckSteps = map[string]dts.CheckStepStatus{
	"notstarted": dts.CheckStepNotStarted,
	"running":    dts.CheckStepRunning,
	"failed":     dts.CheckStepFailed,
	"skipped":    dts.CheckStepSkipped,
	"paused":     dts.CheckStepBlocked,
}

// syncCheck translates a DescribeCheckSyncJobResult answer. The API has no
// CheckFlag: the verdict is derived (dts.DerivePassed).
func (s *Source) syncCheck(jobID string, r *dtsapi.DescribeCheckSyncJobResultResponseParams) dts.Check {
	c := dts.Check{RawStatus: str(r.Status)}
	c.Status = s.checkStatus(jobID, c.RawStatus)
	if r.Progress != nil && *r.Progress <= 100 {
		c.Progress = dts.Float(float64(*r.Progress) / 100)
	}
	for i, si := range r.StepInfos {
		if si == nil {
			continue
		}
		st := dts.CheckStep{
			No:        uint64(i + 1),
			ID:        str(si.StepId),
			Name:      str(si.StepName),
			RawStatus: str(si.Status),
			Errors:    len(si.Errors),
			Warnings:  len(si.Warnings),
		}
		if si.StepNo != nil {
			st.No = *si.StepNo
		}
		switch raw := strings.ToLower(st.RawStatus); {
		case raw == "finished" || raw == "success":
			st.Status = dts.CheckStepPass
			if st.Errors > 0 {
				st.Status = dts.CheckStepFailed
			} else if st.Warnings > 0 {
				st.Status = dts.CheckStepWarning
			}
		default:
			var ok bool
			if st.Status, ok = syncCheckSteps[raw]; !ok {
				s.logger.Debug("unknown check step status", "job_id", jobID, "step_id", st.ID, "status", st.RawStatus)
			}
		}
		for _, tip := range si.Errors {
			if tip != nil {
				s.logger.Debug("pre-check error", "job_id", jobID, "step_id", st.ID, "code", str(tip.Code), "message", str(tip.Message), "solution", str(tip.Solution), "help", str(tip.HelpDoc))
			}
		}
		for _, tip := range si.Warnings {
			if tip != nil {
				s.logger.Debug("pre-check warning", "job_id", jobID, "step_id", st.ID, "code", str(tip.Code), "message", str(tip.Message), "solution", str(tip.Solution), "help", str(tip.HelpDoc))
			}
		}
		c.Steps = append(c.Steps, st)
	}
	c.Passed = dts.DerivePassed(c)
	return c
}

func (s *Source) checkStatus(jobID, raw string) dts.CheckStatus {
	st, ok := CheckStatus(raw)
	if !ok {
		s.logger.Debug("unknown check status", "job_id", jobID, "status", raw)
	}
	return st
}

func (s *Source) fetchMigrationCheck(ctx context.Context, jobID string) (dts.Check, error) {
	const action = "DescribeMigrationCheckJob"
	req := dtsapi.NewDescribeMigrationCheckJobRequest()
	req.JobId = common.StringPtr(jobID)
	var resp *dtsapi.DescribeMigrationCheckJobResponse
	err := s.call(ctx, action, func(ctx context.Context, c *dtsapi.Client) error {
		var err error
		resp, err = c.DescribeMigrationCheckJobWithContext(ctx, req)
		return err
	})
	if err != nil {
		return dts.Check{}, err
	}
	if resp == nil || resp.Response == nil {
		return dts.Check{}, emptyResponse(action)
	}
	return s.migrationCheck(jobID, resp.Response), nil
}

// migrationCheckSteps maps CheckStep.StepStatus.
var migrationCheckSteps = map[string]dts.CheckStepStatus{
	"pass":       dts.CheckStepPass,
	"warning":    dts.CheckStepWarning,
	"failed":     dts.CheckStepFailed,
	"running":    dts.CheckStepRunning,
	"notstarted": dts.CheckStepNotStarted,
	"blocked":    dts.CheckStepBlocked,
	"skipped":    dts.CheckStepSkipped,
}

// migrationCheck translates a DescribeMigrationCheckJob answer. The verdict
// is CheckFlag (checkPass/checkNotPass) once the task is no longer running.
// A step's errors and warnings are its DetailCheckItems whose CheckResult is
// failed or warning. The API has no progress: it is the share of steps that
// have a result.
func (s *Source) migrationCheck(jobID string, r *dtsapi.DescribeMigrationCheckJobResponseParams) dts.Check {
	c := dts.Check{RawStatus: str(r.Status)}
	c.Status = s.checkStatus(jobID, c.RawStatus)
	done := 0
	for i, cs := range r.StepInfo {
		if cs == nil {
			continue
		}
		st := dts.CheckStep{
			No:        uint64(i),
			ID:        str(cs.StepId),
			Name:      str(cs.StepName),
			RawStatus: str(cs.StepStatus),
		}
		if cs.StepNo != nil {
			st.No = *cs.StepNo
		}
		var ok bool
		if st.Status, ok = migrationCheckSteps[strings.ToLower(st.RawStatus)]; !ok {
			s.logger.Debug("unknown check step status", "job_id", jobID, "step_id", st.ID, "status", st.RawStatus)
		}
		switch st.Status {
		case dts.CheckStepPass, dts.CheckStepWarning, dts.CheckStepFailed, dts.CheckStepSkipped:
			done++
		}
		for _, item := range cs.DetailCheckItems {
			if item == nil {
				continue
			}
			switch strings.ToLower(str(item.CheckResult)) {
			case "failed":
				st.Errors++
			case "warning":
				st.Warnings++
			default:
				continue
			}
			s.logger.Debug("pre-check item", "job_id", jobID, "step_id", st.ID, "item", str(item.CheckItemName),
				"result", str(item.CheckResult), "reason", str(item.FailureReason), "solution", str(item.Solution))
		}
		c.Steps = append(c.Steps, st)
	}
	switch {
	case c.Status == dts.CheckSuccess:
		c.Progress = dts.Float(1)
	case len(c.Steps) > 0:
		c.Progress = dts.Float(float64(done) / float64(len(c.Steps)))
	}
	switch flag := strings.ToLower(str(r.CheckFlag)); {
	case c.Status == dts.CheckRunning || c.Status == dts.CheckNotStarted:
		c.Passed = nil
	case flag == "checkpass":
		c.Passed = dts.Bool(true)
	case flag == "checknotpass":
		c.Passed = dts.Bool(false)
	default:
		c.Passed = dts.DerivePassed(c)
	}
	return c
}
