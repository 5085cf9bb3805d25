package tencent

import (
	"context"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// migrationPhases maps every migration job Status of API 2021-12-06
// (JobItem.Status) onto a phase; keys are lower case.
var migrationPhases = map[string]dts.Phase{
	"creating":      dts.PhasePending,
	"created":       dts.PhasePending,
	"checking":      dts.PhaseChecking,
	"checkpass":     dts.PhasePending,     // pre-check passed, not started
	"checknotpass":  dts.PhaseCheckFailed, // pre-check failed
	"readyrun":      dts.PhaseInitializing,
	"running":       dts.PhaseRunning,
	"readycomplete": dts.PhaseRunning, // incremental stage, waiting for the user to complete
	"success":       dts.PhaseFinished,
	"failed":        dts.PhaseFailed,
	"stopping":      dts.PhaseFinished, // being ended by the user
	"completing":    dts.PhaseRunning,  // finishing the incremental stage
	"pausing":       dts.PhasePaused,
	"manualpaused":  dts.PhasePaused,
	"resumableerr":  dts.PhaseFailed, // job error, can be resumed
	"resuming":      dts.PhaseRunning,
	"unknown":       dts.PhaseUnknown,
	"error":         dts.PhaseFailed,
	"canceled":      dts.PhaseFinished,
}

// MigrationPhase returns the phase of a migration job Status; an unknown
// value is PhaseUnknown.
func MigrationPhase(status string) dts.Phase {
	if p, ok := migrationPhases[strings.ToLower(status)]; ok {
		return p
	}
	return dts.PhaseUnknown
}

// migrationJobs lists every migration job of the region with
// DescribeMigrationJobs (one call per 100 jobs; Detail is not needed).
func (s *Source) migrationJobs(ctx context.Context) ([]dts.Job, error) {
	const action = "DescribeMigrationJobs"
	return s.listAll(ctx, action, func(ctx context.Context, offset uint64) (page, error) {
		req := dtsapi.NewDescribeMigrationJobsRequest()
		req.Limit = common.Uint64Ptr(pageLimit)
		req.Offset = common.Uint64Ptr(offset)
		req.OrderSeq = common.StringPtr("asc")
		var resp *dtsapi.DescribeMigrationJobsResponse
		err := s.call(ctx, action, func(ctx context.Context, c *dtsapi.Client) error {
			var err error
			resp, err = c.DescribeMigrationJobsWithContext(ctx, req)
			return err
		})
		if err != nil {
			return page{}, err
		}
		if resp == nil || resp.Response == nil {
			return page{}, emptyResponse(action)
		}
		p := page{n: len(resp.Response.JobList), total: resp.Response.TotalCount}
		for _, item := range resp.Response.JobList {
			if job, ok := s.migrationJob(item); ok {
				p.jobs = append(p.jobs, job)
			}
		}
		return p, nil
	})
}

// migrationJob translates one JobItem. From the endpoints it reads only the
// database type and region: their Info[] entries carry Password,
// TmpSecretKey and TmpToken.
func (s *Source) migrationJob(item *dtsapi.JobItem) (dts.Job, bool) {
	if item == nil || str(item.JobId) == "" {
		s.logger.Debug("skipping migration job without JobId")
		return dts.Job{}, false
	}
	job := dts.Job{
		Provider: ProviderName,
		Account:  s.account.Name,
		Region:   s.region,
		Kind:     dts.KindMigration,
		ID:       str(item.JobId),
		Name:     str(item.JobName),
		Status:   str(item.Status),
	}
	if src := item.SrcInfo; src != nil {
		job.SrcDBType, job.SrcRegion = str(src.DatabaseType), str(src.Region)
	}
	if dst := item.DstInfo; dst != nil {
		job.DstDBType, job.DstRegion = str(dst.DatabaseType), str(dst.Region)
	}
	job.Type = dts.LinkType(job.SrcDBType, job.DstDBType)
	job.Phase = MigrationPhase(job.Status)
	if job.Phase == dts.PhaseUnknown && !strings.EqualFold(job.Status, "unknown") {
		s.logger.Debug("unknown migration job status", "job_id", job.ID, "status", job.Status)
	}

	d := item.StepInfo
	if d == nil {
		return job, true
	}
	// MigrateDetailInfo has no overall progress; steps carry Percent.
	job.StepCurrent = unsigned(d.StepNow)
	job.StepTotal = unsigned(d.StepAll)
	job.DelaySeconds = nonNegative(d.SecondsBehindMaster, 1)
	job.LagBytes = nonNegative(d.MasterSlaveDistance, bytesPerMB)
	for i, si := range d.StepInfo {
		if si == nil {
			continue
		}
		step := dts.Step{
			No:        uint64(i + 1),
			ID:        str(si.StepId),
			Name:      str(si.StepName),
			RawStatus: str(si.Status),
		}
		if si.StepNo != nil {
			step.No = *si.StepNo
		}
		if si.Percent != nil && *si.Percent <= 100 {
			step.Progress = dts.Float(float64(*si.Percent) / 100)
		}
		step.Status = s.stepStatus(job.ID, step.No, step.RawStatus)
		job.Steps = append(job.Steps, step)
	}
	return job, true
}
