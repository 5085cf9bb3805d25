package alibaba

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The response structs hold only what the metrics need. Nothing that can carry
// a secret or configuration (Reserved, DbObject, endpoint user names) is
// decoded at all. encoding/json matches field names case-insensitively, which
// covers the new APIs' Rps/Flow next to the old APIs' RPS/FLOW.

// text is a scalar the API sends sometimes as a JSON string, sometimes as a
// number or a bool ("Success": "true" in the Synchronization* APIs, true in
// DescribeDtsJobs; "Percent": "100" or 100). null and a missing field are "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("expected a string, number or bool, got %c…", b[0])
	default:
		*t = text(b) // a number or a bool, as written
	}
	return nil
}

func (t text) String() string { return strings.TrimSpace(string(t)) }

// isTrue reports whether t is the bool true or the string "true".
func (t text) isTrue() bool { return strings.EqualFold(t.String(), "true") }

// isFalse reports whether t is the bool false or the string "false"; an
// absent value is neither.
func (t text) isFalse() bool { return strings.EqualFold(t.String(), "false") }

// envelope is the part every answer shares. An error can come back with
// HTTP 200: Success false (or "false") and ErrCode in the body.
type envelope struct {
	RequestId      text
	Success        text
	ErrCode        text
	ErrMessage     text
	DynamicMessage text
	Code           text
	Message        text
}

// stage is the status of one stage of a job: structure initialization, data
// initialization, data synchronization.
type stage struct {
	Status      text
	Percent     text
	Delay       text
	DelayMillis text
	Checkpoint  text
}

type performance struct {
	RPS  text // Rps in DescribeDtsJobs
	FLOW text // Flow in DescribeDtsJobs
}

type endpoint struct {
	EngineName text
	Region     text
}

// syncStatus is an item of DescribeSynchronizationJobs and the answer of
// DescribeSynchronizationJobStatus: the same shape, the latter with
// DelayMillis, Checkpoint and DataSynchronizationStatus filled.
type syncStatus struct {
	SynchronizationJobId          text
	SynchronizationJobName        text
	SynchronizationDirection      text
	Status                        text
	Delay                         text
	DelayMillis                   text
	Checkpoint                    text
	Performance                   performance
	StructureInitialization       text
	DataInitialization            text
	StructureInitializationStatus stage
	DataInitializationStatus      stage
	DataSynchronizationStatus     stage
	PrecheckStatus                struct {
		Status  text
		Percent text
		Detail  []struct {
			ItemName    text
			CheckStatus text
		}
	}
	SourceEndpoint      endpoint
	DestinationEndpoint endpoint
}

type syncListResponse struct {
	envelope
	TotalRecordCount         text
	SynchronizationInstances []syncStatus
}

type syncStatusResponse struct {
	envelope
	syncStatus
}

// dtsJob is an item of DescribeDtsJobs' DtsJobList; ReverseJob is the
// reverse direction of a two-way synchronization.
type dtsJob struct {
	DtsJobId      text
	DtsJobName    text
	JobType       text
	Status        text
	Delay         text // seconds in this API
	Checkpoint    text
	Performance   performance
	MigrationMode struct {
		StructureInitialization text
		DataInitialization      text
		DataSynchronization     text
	}
	StructureInitializationStatus stage
	DataInitializationStatus      stage
	DataSynchronizationStatus     stage
	PrecheckStatus                struct {
		Status  text
		Percent text
		Detail  []struct {
			CheckItem            text
			CheckItemDescription text
			CheckResult          text
		}
	}
	SourceEndpoint      endpoint
	DestinationEndpoint endpoint
	ReverseJob          *dtsJob
}

type dtsJobsResponse struct {
	envelope
	TotalRecordCount text
	DtsJobList       []dtsJob
}
