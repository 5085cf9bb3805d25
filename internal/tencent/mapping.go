package tencent

import (
	"strings"

	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// bytesPerMB converts MasterSlaveDistance, documented in MB, to bytes. The API
// does not say whether MB means 10^6 or 2^20 bytes; we take 2^20 (MiB), as
// database tools do.
const bytesPerMB = 1 << 20

// syncJob translates one SyncJobInfo. It copies only what the metrics need:
// nothing from SrcInfo/DstInfo (which carry Password, TmpSecretKey and
// TmpToken) ever enters a dts.Job.
func (s *Source) syncJob(info *dtsapi.SyncJobInfo) (dts.Job, bool) {
	if info == nil || str(info.JobId) == "" {
		s.logger.Debug("skipping sync job without JobId")
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
		SrcRegion: str(info.SrcRegion),
		DstRegion: str(info.DstRegion),
		Status:    str(info.Status),
	}
	job.Type = dts.LinkType(job.SrcDBType, job.DstDBType)
	job.Phase = SyncPhase(job.Status)
	if job.Phase == dts.PhaseUnknown && !strings.EqualFold(job.Status, "unknown") {
		s.logger.Debug("unknown sync job status", "job_id", job.ID, "status", job.Status)
	}

	d := info.Detail
	if d == nil {
		return job, true
	}
	job.Progress = percent(d.Progress)
	job.StepCurrent = unsigned(d.StepNow)
	job.StepTotal = unsigned(d.StepAll)
	job.DelaySeconds = nonNegative(d.SecondsBehindMaster, 1)
	job.LagBytes = nonNegative(d.MasterSlaveDistance, bytesPerMB)
	for i, si := range d.StepInfos {
		if si == nil {
			continue
		}
		step := dts.Step{
			No:        uint64(i + 1),
			ID:        str(si.StepId),
			Name:      str(si.StepName),
			RawStatus: str(si.Status),
			Progress:  percent(si.Progress),
		}
		if si.StepNo != nil {
			step.No = *si.StepNo
		}
		step.Status = s.stepStatus(job.ID, step.No, step.RawStatus)
		job.Steps = append(job.Steps, step)
	}
	return job, true
}

// stepStatus normalizes a job step's status, logging a value we do not know.
func (s *Source) stepStatus(jobID string, no uint64, raw string) dts.StepStatus {
	st, known := StepStatus(raw)
	if !known {
		s.logger.Debug("unknown step status", "job_id", jobID, "step_no", no, "status", raw)
	}
	return st
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// percent converts a 0–100 progress to a ratio; -1 ("this step reports no
// progress"), null and out-of-range values give no value.
func percent(p *int64) *float64 {
	if p == nil || *p < 0 || *p > 100 {
		return nil
	}
	return dts.Float(float64(*p) / 100)
}

// nonNegative scales v; null and the -1 "not applicable" sentinel give no value.
func nonNegative(p *int64, scale float64) *float64 {
	if p == nil || *p < 0 {
		return nil
	}
	return dts.Float(float64(*p) * scale)
}

func unsigned(p *uint64) *float64 {
	if p == nil {
		return nil
	}
	return dts.Float(float64(*p))
}
