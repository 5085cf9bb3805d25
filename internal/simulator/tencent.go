package simulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// tcActions lists the Tencent actions the simulator serves, with the API
// versions that have them.
var tcActions = map[string][]string{
	"DescribeSyncJobs":           {"2021-12-06", tcLegacyVersion},
	"DescribeCheckSyncJobResult": {"2021-12-06"},
	"DescribeMigrationJobs":      {"2021-12-06"},
	"DescribeMigrationCheckJob":  {"2021-12-06"},
	"DescribeSyncCheckJob":       {tcLegacyVersion},
}

const tcLegacyVersion = "2018-03-30"

// callName is the name under which a call is counted and faults match: the
// action, with ".v20180330" for the 2018-03-30 version of DescribeSyncJobs.
func callName(action, version string) string {
	if version == tcLegacyVersion && action == "DescribeSyncJobs" {
		return action + ".v20180330"
	}
	return action
}

// tcError is an API 3.0 error: it travels with HTTP 200, inside Response.
type tcError struct {
	Code    string
	Message string
}

func (s *Server) serveTencent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost {
		tcWriteError(w, tcError{"UnsupportedProtocol", "the simulator accepts POST with a JSON body only"})
		return
	}
	action, version := r.Header.Get("X-TC-Action"), r.Header.Get("X-TC-Version")
	if e := s.tcVerify(r, body); e != nil {
		tcWriteError(w, *e)
		return
	}
	versions, ok := tcActions[action]
	switch {
	case action == "":
		tcWriteError(w, tcError{"MissingParameter", "the X-TC-Action header is required"})
		return
	case !ok:
		tcWriteError(w, tcError{"InvalidAction", fmt.Sprintf("the action %s is not found", action)})
		return
	case !slices.Contains(versions, version):
		tcWriteError(w, tcError{"NoSuchVersion", fmt.Sprintf("the version %q of action %s does not exist", version, action)})
		return
	}
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		tcWriteError(w, tcError{"MissingParameter", "the Region parameter is required"})
		return
	}

	name := callName(action, version)
	if f := s.takeFault(name, region); f != nil {
		if !holdBack(r, f) {
			return
		}
		switch {
		case f.Malformed:
			// A truncated answer that still carries a secret, as a cut-off
			// real answer would.
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"Response":{"TotalCount":1,"JobList":[{"JobId":"sync-broken1","SrcInfo":{"Password":"SimPassw0rd-malformed"`)
			return
		case f.Code != "":
			msg := f.Message
			if msg == "" {
				msg = "injected fault: " + f.Code
			}
			tcWriteError(w, tcError{f.Code, msg})
			return
		}
	}

	if version == tcLegacyVersion && !s.tcLegacyAvailable(region) {
		tcWriteError(w, tcError{"ActionOffline", fmt.Sprintf("the action %s of version %s is offline", action, version)})
		return
	}
	switch name {
	case "DescribeSyncJobs":
		s.tcDescribeSyncJobs(w, region, body)
	case "DescribeCheckSyncJobResult":
		s.tcDescribeCheckSyncJobResult(w, region, body)
	case "DescribeMigrationJobs":
		s.tcDescribeMigrationJobs(w, region, body)
	case "DescribeMigrationCheckJob":
		s.tcDescribeMigrationCheckJob(w, region, body)
	case "DescribeSyncJobs.v20180330":
		s.tcLegacyDescribeSyncJobs(w, region, body)
	case "DescribeSyncCheckJob":
		s.tcLegacyDescribeSyncCheckJob(w, region, body)
	}
}

// tcDecode decodes a request body strictly: an unknown parameter is refused
// as the cloud does (UnknownParameter).
func tcDecode(w http.ResponseWriter, body []byte, req any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		tcWriteError(w, tcError{"UnknownParameter", "the request has an unknown or ill-typed parameter: " + err.Error()})
		return false
	}
	return true
}

// tcPaging checks Limit (default 20, [1,100]) and Offset.
func tcPaging(w http.ResponseWriter, limitP, offsetP *int64) (limit, offset int64, ok bool) {
	limit = 20
	if limitP != nil {
		limit = *limitP
	}
	if offsetP != nil {
		offset = *offsetP
	}
	if limit < 1 || limit > 100 {
		tcWriteError(w, tcError{"InvalidParameterValue.InvalidParameterValueError", fmt.Sprintf("Limit %d is out of range [1,100]", limit)})
		return 0, 0, false
	}
	if offset < 0 {
		tcWriteError(w, tcError{"InvalidParameterValue.InvalidParameterValueError", "Offset must not be negative"})
		return 0, 0, false
	}
	return limit, offset, true
}

// tcPage cuts one page out of items.
func tcPage[T any](items []T, limit, offset int64) []T {
	page := []T{}
	if offset < int64(len(items)) {
		page = items[offset:min(int64(len(items)), offset+limit)]
	}
	return page
}

// tcJobIDRequest is the request of the check APIs.
type tcJobIDRequest struct {
	JobId *string
}

// tcJobID decodes a check request and returns its required JobId.
func tcJobID(w http.ResponseWriter, body []byte) (string, bool) {
	var req tcJobIDRequest
	if !tcDecode(w, body, &req) {
		return "", false
	}
	if req.JobId == nil || *req.JobId == "" {
		tcWriteError(w, tcError{"MissingParameter", "the JobId parameter is required"})
		return "", false
	}
	return *req.JobId, true
}

func tcNotFound(w http.ResponseWriter, id string) {
	tcWriteError(w, tcError{"ResourceNotFound.ResourceNotFoundError", fmt.Sprintf("the job %s does not exist", id)})
}

// tcVerify checks a TC3-HMAC-SHA256 signature the way the cloud does.
func (s *Server) tcVerify(r *http.Request, body []byte) *tcError {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "TC3-HMAC-SHA256 ")
	if !ok {
		return &tcError{"AuthFailure.InvalidAuthorization", "Authorization header is missing or not TC3-HMAC-SHA256"}
	}
	parts := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[k] = v
	}
	cred := strings.Split(parts["Credential"], "/")
	if len(cred) != 4 || cred[3] != "tc3_request" || parts["SignedHeaders"] == "" || parts["Signature"] == "" {
		return &tcError{"AuthFailure.InvalidAuthorization", "Authorization header is malformed"}
	}
	secretID, date, service := cred[0], cred[1], cred[2]
	key, known := s.opts.Credentials[secretID]
	if !known {
		return &tcError{"AuthFailure.SecretIdNotFound", "the SecretId is not found"}
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return &tcError{"AuthFailure.InvalidAuthorization", "X-TC-Timestamp is missing"}
	}
	if skew := time.Since(time.Unix(ts, 0)); skew > 5*time.Minute || skew < -5*time.Minute {
		return &tcError{"AuthFailure.SignatureExpire", "the signature expired: the request timestamp is more than 5 minutes off"}
	}
	if time.Unix(ts, 0).UTC().Format("2006-01-02") != date || service != "dts" {
		return &tcError{"AuthFailure.SignatureFailure", "the credential scope does not match the request"}
	}

	signed := strings.Split(parts["SignedHeaders"], ";")
	if !slices.Contains(signed, "host") || !slices.Contains(signed, "content-type") {
		return &tcError{"AuthFailure.SignatureFailure", "content-type and host must be signed"}
	}
	var canonHeaders strings.Builder
	for _, h := range signed {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		fmt.Fprintf(&canonHeaders, "%s:%s\n", h, strings.ToLower(strings.TrimSpace(v)))
	}
	canonical := strings.Join([]string{
		r.Method, "/", r.URL.RawQuery, canonHeaders.String(), parts["SignedHeaders"], sha256hex(body),
	}, "\n")
	scope := date + "/" + service + "/tc3_request"
	toSign := strings.Join([]string{"TC3-HMAC-SHA256", strconv.FormatInt(ts, 10), scope, sha256hex([]byte(canonical))}, "\n")
	k := hmacSHA256([]byte("TC3"+key), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	want := hex.EncodeToString(hmacSHA256(k, toSign))
	if !hmac.Equal([]byte(want), []byte(parts["Signature"])) {
		return &tcError{"AuthFailure.SignatureFailure", "the provided credentials could not be validated: check your signature"}
	}
	return nil
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func tcWrite(w http.ResponseWriter, response any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": response})
}

func tcWriteError(w http.ResponseWriter, e tcError) {
	tcWrite(w, map[string]any{"Error": e, "RequestId": requestID()})
}

// tcDescribeSyncJobsRequest holds every documented request field, so that an
// unknown one is refused as the cloud does (UnknownParameter).
type tcDescribeSyncJobsRequest struct {
	JobId          *string
	JobIds         []string
	JobName        *string
	Order          *string
	OrderSeq       *string
	Offset         *int64
	Limit          *int64
	Status         []string
	RunMode        *string
	JobType        *string
	PayMode        *string
	TagFilters     []json.RawMessage
	SrcInfoPattern *string
	DstInfoPattern *string
}

func (s *Server) tcDescribeSyncJobs(w http.ResponseWriter, region string, body []byte) {
	var req tcDescribeSyncJobsRequest
	if !tcDecode(w, body, &req) {
		return
	}
	limit, offset, ok := tcPaging(w, req.Limit, req.Offset)
	if !ok {
		return
	}
	if req.Order != nil && *req.Order != "CreateTime" {
		tcWriteError(w, tcError{"InvalidParameterValue.InvalidParameterValueError", "Order supports CreateTime only"})
		return
	}

	jobs := s.TencentSyncJobs(region)
	jobs = slices.DeleteFunc(jobs, func(j TCSyncJob) bool {
		switch {
		case req.JobId != nil && *req.JobId != "" && *j.JobId != *req.JobId:
			return true
		case len(req.JobIds) > 0 && !slices.Contains(req.JobIds, *j.JobId):
			return true
		case len(req.Status) > 0 && !slices.Contains(req.Status, j.Status):
			return true
		}
		return false
	})
	// Default order is CreateTime descending; ids break ties.
	desc := req.OrderSeq == nil || !strings.EqualFold(*req.OrderSeq, "ASC")
	slices.SortStableFunc(jobs, func(a, b TCSyncJob) int {
		c := strings.Compare(a.CreateTime, b.CreateTime)
		if c == 0 {
			c = strings.Compare(*a.JobId, *b.JobId)
		}
		if desc {
			return -c
		}
		return c
	})
	tcWrite(w, map[string]any{"TotalCount": len(jobs), "JobList": tcPage(jobs, limit, offset), "RequestId": requestID()})
}
