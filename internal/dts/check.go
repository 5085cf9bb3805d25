package dts

// CheckStatus is the normalized status of a pre-check task itself (not its
// verdict): has it run, is it running, did it finish.
type CheckStatus string

// The members of the dts_check_status state set.
const (
	CheckNotStarted CheckStatus = "not_started"
	CheckRunning    CheckStatus = "running"
	CheckFailed     CheckStatus = "failed" // the check task itself failed to run
	CheckSuccess    CheckStatus = "success"
)

// CheckStatuses lists every check status in a stable order.
var CheckStatuses = []CheckStatus{CheckNotStarted, CheckRunning, CheckFailed, CheckSuccess}

// CheckStepStatus is the normalized result of one pre-check step.
type CheckStepStatus string

// The members of the dts_check_step_status state set.
const (
	CheckStepPass       CheckStepStatus = "pass"
	CheckStepWarning    CheckStepStatus = "warning" // passed with warnings
	CheckStepFailed     CheckStepStatus = "failed"
	CheckStepRunning    CheckStepStatus = "running"
	CheckStepNotStarted CheckStepStatus = "not_started"
	CheckStepBlocked    CheckStepStatus = "blocked"
	CheckStepSkipped    CheckStepStatus = "skipped"
)

// CheckStepStatuses lists every check step status in a stable order.
var CheckStepStatuses = []CheckStepStatus{
	CheckStepPass, CheckStepWarning, CheckStepFailed, CheckStepRunning,
	CheckStepNotStarted, CheckStepBlocked, CheckStepSkipped,
}

// Check is the last pre-check of one job. Messages, solutions and help links
// stay out of it: they are unbounded text, not label values.
type Check struct {
	Provider string
	Account  string
	Region   string
	Kind     Kind
	JobID    string
	// Direction is the job direction the check belongs to (see Job).
	Direction string

	Status CheckStatus
	// RawStatus is the API's own value, for logs.
	RawStatus string
	// Passed is the verdict: nil while the check runs or has no verdict.
	Passed *bool
	// Progress is a ratio in [0, 1]; nil when unknown.
	Progress *float64
	Steps    []CheckStep
}

// CheckStep is one step (item) of a pre-check.
type CheckStep struct {
	No     uint64
	ID     string
	Name   string
	Status CheckStepStatus
	// RawStatus is the API's own value, for logs.
	RawStatus string
	// Errors and Warnings count the step's error and warning entries.
	Errors   int
	Warnings int
}

// Bool returns a pointer to b, for Check.Passed.
func Bool(b bool) *bool { return &b }

// DerivePassed is the verdict of a check whose API gives none: it passed if
// the task finished (success) and no step failed or reported errors; it did
// not pass if the task failed; it has no verdict while it runs.
func DerivePassed(c Check) *bool {
	switch c.Status {
	case CheckSuccess:
		for _, st := range c.Steps {
			if st.Status == CheckStepFailed || st.Errors > 0 {
				return Bool(false)
			}
		}
		return Bool(true)
	case CheckFailed:
		return Bool(false)
	}
	return nil
}
