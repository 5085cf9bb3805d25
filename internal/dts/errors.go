package dts

import (
	"context"
	"errors"
	"fmt"
)

// ErrorClass groups API errors by what an operator does about them.
type ErrorClass string

// Error classes, the values of the exporter's `class` label.
const (
	ClassThrottled ErrorClass = "throttled"
	ClassAuth      ErrorClass = "auth"
	ClassNotFound  ErrorClass = "not_found"
	ClassTimeout   ErrorClass = "timeout"
	ClassMalformed ErrorClass = "malformed"
	ClassOther     ErrorClass = "other"
)

// ErrorClasses lists every class, in a stable order.
var ErrorClasses = []ErrorClass{ClassThrottled, ClassAuth, ClassNotFound, ClassTimeout, ClassMalformed, ClassOther}

// APIError is a failed cloud API call. Providers build it from SDK errors and
// must keep Message free of response bodies: SDK parse errors quote the whole
// body, which can carry database passwords and temporary keys.
type APIError struct {
	Provider  string
	Action    string
	Code      string
	Class     ErrorClass
	RequestID string
	Message   string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Provider, e.Action, e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// ClassOf returns the class of err: an APIError's own class, timeout for a
// context error, other for anything else.
func ClassOf(err error) ErrorClass {
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.Class
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return ClassTimeout
	default:
		return ClassOther
	}
}

// CodeOf returns the API error code of err, "ok" for nil, for request counters.
func CodeOf(err error) string {
	if err == nil {
		return "ok"
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code != "" {
		return apiErr.Code
	}
	if ClassOf(err) == ClassTimeout {
		return "Timeout"
	}
	return "Unknown"
}

// Truncate shortens an error message for logs and labels-free errors: API
// messages are unbounded text.
func Truncate(s string) string {
	const maxLen = 300
	if len(s) > maxLen {
		return s[:maxLen] + "…"
	}
	return s
}
