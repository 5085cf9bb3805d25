package tencent

import (
	"context"
	"strconv"
	"strings"

	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// The 2018-03-30 sync API ("disaster-recovery sync") was removed from the
// SDK in v1.0.286, so its calls are common requests decoded into our own
// structs (from the last SDK models that had them, v1.0.285).

const legacyVersion = "2018-03-30"

// legacyListAction is the name under which the 2018-03-30 DescribeSyncJobs
// is counted and rate-limited, apart from the 2021-12-06 action.
const legacyListAction = "DescribeSyncJobs.v20180330"

type legacySyncJobsResponse struct {
	*tchttp.BaseResponse
	Response *struct {
		TotalCount *uint64          `json:"TotalCount"`
		JobList    []*legacySyncJob `json:"JobList"`
		RequestId  *string          `json:"RequestId"`
	} `json:"Response"`
}

// legacySyncJob is the 2018-03-30 SyncJobInfo; only the fields we read.
type legacySyncJob struct {
	JobId           *string           `json:"JobId"`
	JobName         *string           `json:"JobName"`
	SrcDatabaseType *string           `json:"SrcDatabaseType"`
	DstDatabaseType *string           `json:"DstDatabaseType"`
	SrcInfo         *legacyInstance   `json:"SrcInfo"`
	DstInfo         *legacyInstance   `json:"DstInfo"`
	Detail          *legacySyncDetail `json:"Detail"`
	Status          *int64            `json:"Status"`
	CreateTime      *string           `json:"CreateTime"`
}

type legacyInstance struct {
	Region     *string `json:"Region"`
	InstanceId *string `json:"InstanceId"`
}

type legacySyncDetail struct {
	StepAll             *int64            `json:"StepAll"`
	StepNow             *int64            `json:"StepNow"`
	Progress            *string           `json:"Progress"`
	CurrentStepProgress *string           `json:"CurrentStepProgress"`
	MasterSlaveDistance *int64            `json:"MasterSlaveDistance"`
	SecondsBehindMaster *int64            `json:"SecondsBehindMaster"`
	StepInfo            []*legacySyncStep `json:"StepInfo"`
}

type legacySyncStep struct {
	StepNo   *uint64 `json:"StepNo"`
	StepName *string `json:"StepName"`
	CanStop  *int64  `json:"CanStop"`
	StepId   *int64  `json:"StepId"`
}

type legacySyncCheckResponse struct {
	*tchttp.BaseResponse
	Response *legacySyncCheck `json:"Response"`
}

// legacySyncCheck is the DescribeSyncCheckJob answer.
type legacySyncCheck struct {
	Status       *string                `json:"Status"`
	ErrorCode    *int64                 `json:"ErrorCode"`
	ErrorMessage *string                `json:"ErrorMessage"`
	StepInfo     []*legacySyncCheckStep `json:"StepInfo"`
	CheckFlag    *int64                 `json:"CheckFlag"`
	RequestId    *string                `json:"RequestId"`
}

type legacySyncCheckStep struct {
	StepNo      *uint64 `json:"StepNo"`
	StepName    *string `json:"StepName"`
	StepCode    *int64  `json:"StepCode"`
	StepMessage *string `json:"StepMessage"`
}

// legacyStatusNames names the integer Status. The sync enum is not
// documented; these are the 2018-03-30 migration codes, which the sync
// examples match (4 = checked, not started).
var legacyStatusNames = map[int64]string{
	1: "Creating", 3: "Checking", 4: "CheckPass", 5: "CheckNotPass", 7: "Running", 8: "ReadyComplete",
	9: "Success", 10: "Failed", 11: "Stopping", 12: "Completing", 23: "Unknown",
}

var legacyPhases = map[int64]dts.Phase{
	1: dts.PhasePending, 3: dts.PhaseChecking, 4: dts.PhasePending, 5: dts.PhaseCheckFailed, 7: dts.PhaseRunning,
	8: dts.PhaseRunning, 9: dts.PhaseFinished, 10: dts.PhaseFailed, 11: dts.PhaseFinished, 12: dts.PhaseRunning,
	23: dts.PhaseUnknown,
}

var legacyChecks = checkKind{
	kind:   dts.KindSync,
	action: "DescribeSyncCheckJob",
	state: func(status string) checkState {
		switch status {
		case "3":
			return checkRunning
		case "4", "5":
			return checkDone
		}
		return checkNone
	},
	fetch: (*Source).fetchLegacyCheck,
}

// legacyUnavailable reports whether code means the API is not offered to
// this account or region, rather than that a call failed.
func legacyUnavailable(err error) (string, bool) {
	code := dts.CodeOf(err)
	for _, prefix := range []string{"ActionOffline", "InvalidAction", "NoSuchVersion", "UnsupportedOperation", "UnsupportedRegion"} {
		if strings.HasPrefix(code, prefix) {
			return code, true
		}
	}
	return code, false
}

// legacySync lists the 2018-03-30 sync jobs and their pre-checks. Where the
// API answers that it is offline or unsupported, it logs that once and
// collects nothing, without counting it as a failure.
func (s *Source) legacySync(ctx context.Context) ([]dts.Job, []dts.Check, error) {
	jobs, err := s.listAll(ctx, legacyListAction, s.legacySyncPage)
	if code, ok := legacyUnavailable(err); ok {
		s.legacyOffline.Do(func() {
			s.logger.Warn("the 2018-03-30 sync API is not available here; legacy_sync collects nothing (remove it from collect to silence this)",
				"code", code)
		})
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	checks, err := s.collectChecks(ctx, legacyChecks, jobs)
	if _, ok := legacyUnavailable(err); ok {
		err = nil
	}
	return jobs, checks, err
}

// legacySend runs a 2018-03-30 common request.
func (s *Source) legacySend(ctx context.Context, label, action string, params map[string]any, resp tchttp.Response) error {
	return s.call(ctx, label, func(ctx context.Context, c *dtsapi.Client) error {
		req := tchttp.NewCommonRequest("dts", legacyVersion, action)
		if err := req.SetActionParameters(params); err != nil {
			return err
		}
		req.SetContext(ctx)
		return c.Send(req, resp)
	})
}

func (s *Source) legacySyncPage(ctx context.Context, offset uint64) (page, error) {
	resp := &legacySyncJobsResponse{BaseResponse: &tchttp.BaseResponse{}}
	err := s.legacySend(ctx, legacyListAction, "DescribeSyncJobs", map[string]any{
		"Limit": pageLimit, "Offset": offset, "Order": "CreateTime", "OrderSeq": "ASC",
	}, resp)
	if err != nil {
		return page{}, err
	}
	if resp.Response == nil {
		return page{}, emptyResponse(legacyListAction)
	}
	p := page{n: len(resp.Response.JobList), total: resp.Response.TotalCount}
	for _, info := range resp.Response.JobList {
		if job, ok := s.legacySyncJob(info); ok {
			p.jobs = append(p.jobs, job)
		}
	}
	return p, nil
}

// legacySyncJob translates a 2018-03-30 SyncJobInfo. Its status label is the
// raw integer, as the API gives no names for sync statuses. Its steps carry
// no status: steps before StepNow are finished, StepNow is running (failed
// if the job failed), later ones not started.
func (s *Source) legacySyncJob(info *legacySyncJob) (dts.Job, bool) {
	if info == nil || str(info.JobId) == "" {
		return dts.Job{}, false
	}
	job := dts.Job{
		Provider:  ProviderName,
		Account:   s.account.Name,
		Region:    s.region,
		Kind:      dts.KindSync,
		ID:        str(info.JobId),
		Name:      str(info.JobName),
		SrcDBType: str(info.SrcDatabaseType),
		DstDBType: str(info.DstDatabaseType),
		Phase:     dts.PhaseUnknown,
	}
	if info.SrcInfo != nil {
		job.SrcRegion = str(info.SrcInfo.Region)
	}
	if info.DstInfo != nil {
		job.DstRegion = str(info.DstInfo.Region)
	}
	job.Type = dts.LinkType(job.SrcDBType, job.DstDBType)
	if info.Status != nil {
		job.Status = strconv.FormatInt(*info.Status, 10)
		if p, ok := legacyPhases[*info.Status]; ok {
			job.Phase = p
		} else {
			s.logger.Debug("unknown legacy sync job status", "job_id", job.ID, "status", job.Status)
		}
	}
	d := info.Detail
	if d == nil {
		return job, true
	}
	if d.Progress != nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(*d.Progress), 64); err == nil && v >= 0 && v <= 100 {
			job.Progress = dts.Float(v / 100)
		}
	}
	stepNow := int64(-1)
	if d.StepNow != nil && *d.StepNow >= 0 {
		stepNow = *d.StepNow
		job.StepCurrent = dts.Float(float64(stepNow))
	}
	if d.StepAll != nil && *d.StepAll >= 0 {
		job.StepTotal = dts.Float(float64(*d.StepAll))
	}
	job.DelaySeconds = nonNegative(d.SecondsBehindMaster, 1)
	job.LagBytes = nonNegative(d.MasterSlaveDistance, bytesPerMB)
	for i, si := range d.StepInfo {
		if si == nil {
			continue
		}
		step := dts.Step{No: uint64(i + 1), Name: str(si.StepName)}
		if si.StepNo != nil {
			step.No = *si.StepNo
		}
		if si.StepId != nil {
			step.ID = strconv.FormatInt(*si.StepId, 10)
		}
		if stepNow >= 0 {
			switch no := int64(step.No); {
			case no < stepNow:
				step.Status = dts.StepFinished
			case no == stepNow && job.Phase == dts.PhaseFailed:
				step.Status = dts.StepFailed
			case no == stepNow:
				step.Status = dts.StepRunning
			default:
				step.Status = dts.StepNotStarted
			}
		}
		job.Steps = append(job.Steps, step)
	}
	return job, true
}

func (s *Source) fetchLegacyCheck(ctx context.Context, jobID string) (dts.Check, error) {
	const action = "DescribeSyncCheckJob"
	resp := &legacySyncCheckResponse{BaseResponse: &tchttp.BaseResponse{}}
	if err := s.legacySend(ctx, action, action, map[string]any{"JobId": jobID}, resp); err != nil {
		return dts.Check{}, err
	}
	if resp.Response == nil {
		return dts.Check{}, emptyResponse(action)
	}
	return s.legacyCheck(jobID, resp.Response), nil
}

// legacyCheck translates a DescribeSyncCheckJob answer: the verdict is
// CheckFlag (1 passed) once Status is finished; a step passed if its
// StepCode is 0, and a non-zero code counts as one error.
func (s *Source) legacyCheck(jobID string, r *legacySyncCheck) dts.Check {
	c := dts.Check{RawStatus: str(r.Status)}
	c.Status = s.checkStatus(jobID, c.RawStatus)
	for i, si := range r.StepInfo {
		if si == nil {
			continue
		}
		st := dts.CheckStep{No: uint64(i + 1), Name: str(si.StepName), Status: dts.CheckStepPass}
		if si.StepNo != nil {
			st.No = *si.StepNo
		}
		st.ID = strconv.FormatUint(st.No, 10)
		st.RawStatus = "0"
		if si.StepCode != nil && *si.StepCode != 0 {
			st.RawStatus = strconv.FormatInt(*si.StepCode, 10)
			st.Status, st.Errors = dts.CheckStepFailed, 1
			s.logger.Debug("pre-check error", "job_id", jobID, "step_no", st.No, "code", st.RawStatus, "message", str(si.StepMessage))
		}
		c.Steps = append(c.Steps, st)
	}
	if c.Status == dts.CheckSuccess {
		c.Progress = dts.Float(1)
		c.Passed = dts.Bool(r.CheckFlag != nil && *r.CheckFlag == 1)
	}
	return c
}
