package simulator

import (
	"net/http"
	"slices"
)

// syncJobIndex finds a sync job of a region by id.
func (s *Server) syncJobIndex(region, id string) (TCSyncJob, int, bool) {
	jobs := s.TencentSyncJobs(region)
	i := slices.IndexFunc(jobs, func(j TCSyncJob) bool { return *j.JobId == id })
	if i < 0 {
		return TCSyncJob{}, 0, false
	}
	return jobs[i], i, true
}

func (s *Server) tcDescribeCheckSyncJobResult(w http.ResponseWriter, region string, body []byte) {
	id, ok := tcJobID(w, body)
	if !ok {
		return
	}
	job, i, ok := s.syncJobIndex(region, id)
	if !ok {
		tcNotFound(w, id)
		return
	}
	tcWrite(w, struct {
		TCCheckSyncJobResult
		RequestId string
	}{s.syncCheck(job.Status, i), requestID()})
}

// syncCheck is the DescribeCheckSyncJobResult of sync job i in status.
func (s *Server) syncCheck(status string, i int) TCCheckSyncJobResult {
	if status == "UnInitialized" || status == "Initialized" {
		return TCCheckSyncJobResult{Status: "notStarted", StepInfos: []TCStep{}}
	}
	p := progressOf(status, s.opts.Scenario.Epoch, s.clock(), i)
	r := TCCheckSyncJobResult{Status: "success", StepCount: uint64(len(tcCheckSteps)), Progress: uint64(p.percent)}
	if p.running {
		r.Status = "running"
	}
	r.StepCur = uint64(min(p.done+1, len(tcCheckSteps)))
	for k, st := range tcCheckSteps {
		step := TCStep{StepNo: uint64(k + 1), StepId: st.id, StepName: st.name, Status: "notStarted", Errors: []TCStepTip{}, Warnings: []TCStepTip{}}
		switch {
		case k < p.done:
			step.Status, step.Progress = "finished", 100
			switch {
			case p.outcome == outcomeWarn && st.id == "SrcPrivilegeCheck":
				step.Warnings = []TCStepTip{{Code: "Warning: SrcPrivilegeCheck", Message: "The permission scope of the source account is larger than required."}}
			case p.outcome == outcomeFail && st.id == "DstEmptyCheck":
				step.Status = "failed"
				step.Errors = []TCStepTip{{Code: "Error: DstEmptyCheck", Message: "The target database already has tables with the names of the objects to sync.", Solution: "Drop or rename the conflicting tables, or choose to skip them."}}
			}
		case k == p.done && p.running:
			step.Status, step.Progress = "running", 50
		}
		r.StepInfos = append(r.StepInfos, step)
	}
	return r
}

func (s *Server) tcDescribeMigrationCheckJob(w http.ResponseWriter, region string, body []byte) {
	id, ok := tcJobID(w, body)
	if !ok {
		return
	}
	jobs := s.TencentMigrationJobs(region)
	i := slices.IndexFunc(jobs, func(j TCMigrationJob) bool { return *j.JobId == id })
	if i < 0 {
		tcNotFound(w, id)
		return
	}
	tcWrite(w, struct {
		TCMigrationCheck
		RequestId string
	}{s.migrationCheck(jobs[i].Status, i), requestID()})
}

// migrationCheck is the DescribeMigrationCheckJob of migration job i. Steps
// after a failed one are blocked; the flag says checkNotPass until the
// check has passed.
func (s *Server) migrationCheck(status string, i int) TCMigrationCheck {
	if status == "creating" || status == "created" {
		return TCMigrationCheck{Status: "notStarted", CheckFlag: "checkNotPass", StepInfo: []TCCheckStep{}}
	}
	p := progressOf(status, s.opts.Scenario.Epoch, s.clock(), i)
	r := TCMigrationCheck{Status: "success", BriefMsg: "success", CheckFlag: "checkPass"}
	if p.running {
		r.Status, r.BriefMsg, r.CheckFlag = "running", "", "checkNotPass"
	}
	failed := false
	for k, st := range tcCheckSteps {
		step := TCCheckStep{StepNo: uint64(k), StepId: st.id, StepName: st.name, StepStatus: "notStarted", DetailCheckItems: []TCDetailCheckItem{}}
		switch {
		case failed:
			step.StepStatus = "blocked"
		case k < p.done:
			step.StepStatus = "pass"
			switch {
			case p.outcome == outcomeWarn && st.id == "SrcPrivilegeCheck":
				step.StepStatus = "warning"
				step.DetailCheckItems = []TCDetailCheckItem{{CheckItemName: st.name, CheckResult: "warning",
					ErrorLog: []string{"The permission scope of the source account is larger than required."}, HelpDoc: []string{""}}}
			case p.outcome == outcomeFail && st.id == "DstEmptyCheck":
				step.StepStatus, failed = "failed", true
				step.StepMessage = "the target is not empty"
				step.DetailCheckItems = []TCDetailCheckItem{{CheckItemName: st.name, CheckResult: "failed",
					FailureReason: "The target database already has tables with the names of the objects to migrate.",
					Solution:      "Drop or rename the conflicting tables.", ErrorLog: []string{}, HelpDoc: []string{""}}}
			}
		}
		r.StepInfo = append(r.StepInfo, step)
	}
	if !p.running && p.outcome == outcomeFail {
		r.CheckFlag, r.BriefMsg = "checkNotPass", "check not passed"
	}
	return r
}
