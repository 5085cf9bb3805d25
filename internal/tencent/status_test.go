package tencent

import (
	"testing"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// TestSyncPhaseEveryStatus covers every SyncJobInfo.Status value that the SDK
// model of API 2021-12-06 documents.
func TestSyncPhaseEveryStatus(t *testing.T) {
	want := map[string]dts.Phase{
		"UnInitialized": dts.PhasePending,
		"Initialized":   dts.PhasePending,
		"Checking":      dts.PhaseChecking,
		"CheckPass":     dts.PhasePending,
		"CheckNotPass":  dts.PhaseCheckFailed,
		"ReadyRunning":  dts.PhaseInitializing,
		"Running":       dts.PhaseRunning,
		"Pausing":       dts.PhasePaused,
		"Paused":        dts.PhasePaused,
		"Stopping":      dts.PhaseFinished,
		"Stopped":       dts.PhaseFinished,
		"ResumableErr":  dts.PhaseFailed,
		"Resuming":      dts.PhaseRunning,
		"Failed":        dts.PhaseFailed,
		"Released":      dts.PhaseFinished,
		"Resetting":     dts.PhasePending,
		"Unknown":       dts.PhaseUnknown,
		// Not statuses: values that must fall to unknown.
		"Isolated": dts.PhaseUnknown, // a TradeStatus, not a job status
		"":         dts.PhaseUnknown,
		"Exploded": dts.PhaseUnknown,
	}
	for status, phase := range want {
		if got := SyncPhase(status); got != phase {
			t.Errorf("SyncPhase(%q) = %s, want %s", status, got, phase)
		}
	}
	if got := SyncPhase("running"); got != dts.PhaseRunning {
		t.Errorf("SyncPhase is case-sensitive: running -> %s", got)
	}
}

func TestStepStatus(t *testing.T) {
	want := map[string]dts.StepStatus{
		"notStarted": dts.StepNotStarted, "running": dts.StepRunning, "failed": dts.StepFailed,
		"finished": dts.StepFinished, "success": dts.StepFinished, "skipped": dts.StepSkipped, "paused": dts.StepPaused,
	}
	for raw, st := range want {
		got, ok := StepStatus(raw)
		if !ok || got != st {
			t.Errorf("StepStatus(%q) = %s, %v; want %s, true", raw, got, ok, st)
		}
	}
	if _, ok := StepStatus("exploded"); ok {
		t.Error("an unknown step status is reported as known")
	}
}

func TestClassify(t *testing.T) {
	tests := map[string]dts.ErrorClass{
		"RequestLimitExceeded":                             dts.ClassThrottled,
		"RequestLimitExceeded.RequestLimitExceededError":   dts.ClassThrottled,
		"AuthFailure.SignatureFailure":                     dts.ClassAuth,
		"AuthFailure.SecretIdNotFound":                     dts.ClassAuth,
		"UnauthorizedOperation.NotEnoughPrivileges":        dts.ClassAuth,
		"ClientError.CredentialError":                      dts.ClassAuth,
		"ResourceNotFound.JobNotExist":                     dts.ClassNotFound,
		"InvalidParameter.InstanceNotFound":                dts.ClassNotFound,
		"ClientError.ParseJsonError":                       dts.ClassMalformed,
		"InternalError.DatabaseError":                      dts.ClassOther,
		"InvalidParameterValue.InvalidParameterValueError": dts.ClassOther,
	}
	for code, class := range tests {
		if got := classify(code); got != class {
			t.Errorf("classify(%q) = %s, want %s", code, got, class)
		}
	}
}

func TestSanitizeMessageDropsBodies(t *testing.T) {
	body := `{"Response":{"JobList":[{"SrcInfo":{"Password":"hunter2","TmpToken":"tok"}}`
	tests := []struct{ code, msg, want string }{
		{"ClientError.ParseJsonError", "Fail to parse json content: " + body + ", because: unexpected end of JSON input", "invalid response: unexpected end of JSON input"},
		{"ClientError.HttpStatusCodeError", "Request fail with http status code: 502 Bad Gateway, with body: " + body, "Request fail with http status code: 502 Bad Gateway"},
		{"ClientError.IOError", "Fail to read response body because " + body, "reading the response failed"},
		{"AuthFailure.SignatureFailure", "The provided credentials could not be validated.", "The provided credentials could not be validated."},
	}
	for _, tt := range tests {
		if got := sanitizeMessage(tt.code, tt.msg); got != tt.want {
			t.Errorf("sanitizeMessage(%s) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
