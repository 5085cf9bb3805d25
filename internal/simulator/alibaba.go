package simulator

import (
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Alibaba Cloud OpenAPI, RPC style, as darabonba-openapi calls it: POST /
// with the parameters in the query, the action and version in x-acs-action
// and x-acs-version, and an ACS3-HMAC-SHA256 Authorization header.

const aliVersion = "2020-01-01"

// aliActions are the DTS 2020-01-01 actions the simulator serves.
var aliActions = []string{"DescribeSynchronizationJobs", "DescribeSynchronizationJobStatus", "DescribeDtsJobs"}

// aliError is an error answer. Gateway errors (signature, key, throttling,
// unknown action) come with an HTTP error status and Code/Message; DTS's own
// errors come with HTTP 200 and Success "false", ErrCode and ErrMessage.
type aliError struct {
	Status  int
	Code    string
	Message string
}

// isAlibaba tells an Alibaba OpenAPI request from a Tencent one.
func isAlibaba(r *http.Request) bool {
	return r.Header.Get("x-acs-action") != "" || r.URL.Query().Get("Action") != ""
}

func (s *Server) serveAlibaba(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	if e := s.aliVerify(r, body); e != nil {
		aliWriteError(w, *e)
		return
	}
	q := r.URL.Query()
	if form, err := url.ParseQuery(string(body)); err == nil && r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		for k, v := range form {
			q[k] = v
		}
	}
	action, version := r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version")
	switch {
	case !slices.Contains(aliActions, action):
		aliWriteError(w, aliError{http.StatusNotFound, "InvalidAction.NotFound", fmt.Sprintf("Specified api %s is not found, please check your url and method.", action)})
		return
	case version != aliVersion:
		aliWriteError(w, aliError{http.StatusBadRequest, "InvalidVersion", fmt.Sprintf("Specified parameter Version %q is not valid.", version)})
		return
	}
	region := q.Get("RegionId")
	if region == "" {
		aliWriteError(w, aliError{http.StatusBadRequest, "MissingRegionId", "RegionId is mandatory for this action."})
		return
	}

	if f := s.takeFault(action, region); f != nil {
		if !holdBack(r, f) {
			return
		}
		switch {
		case f.Malformed:
			// A cut-off answer that still carries a secret-bearing field.
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			fmt.Fprint(w, `{"Success":"true","SynchronizationInstances":[{"SynchronizationJobId":"dtsbroken1","Reserved":"{\"srcPassword\":\"SimAliPassw0rd-malformed`)
			return
		case f.Code != "":
			msg := f.Message
			if msg == "" {
				msg = "injected fault: " + f.Code
			}
			aliWriteError(w, aliError{aliFaultStatus(f.Code), f.Code, msg})
			return
		}
	}

	switch action {
	case "DescribeSynchronizationJobs":
		s.aliDescribeSynchronizationJobs(w, region, q)
	case "DescribeSynchronizationJobStatus":
		s.aliDescribeSynchronizationJobStatus(w, region, q)
	case "DescribeDtsJobs":
		s.aliDescribeDtsJobs(w, region, q)
	}
}

// aliFaultStatus is the HTTP status an injected error code comes with:
// gateway codes have their own; anything else is a DTS error, with 200.
func aliFaultStatus(code string) int {
	switch {
	case strings.Contains(code, "Throttling"), strings.HasPrefix(code, "SignatureDoesNotMatch"),
		strings.HasPrefix(code, "IncompleteSignature"):
		return http.StatusBadRequest
	case strings.HasPrefix(code, "InvalidAccessKeyId"):
		return http.StatusNotFound
	case strings.HasPrefix(code, "Forbidden"):
		return http.StatusForbidden
	case code == "InternalError", code == "ServiceUnavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

// aliVerify checks an ACS3-HMAC-SHA256 signature as the gateway does.
func (s *Server) aliVerify(r *http.Request, body []byte) *aliError {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "ACS3-HMAC-SHA256 ")
	if !ok {
		return &aliError{http.StatusBadRequest, "IncompleteSignature", "The request signature does not conform to Aliyun standards: the simulator verifies ACS3-HMAC-SHA256 only."}
	}
	parts := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[k] = v
	}
	if parts["Credential"] == "" || parts["SignedHeaders"] == "" || parts["Signature"] == "" {
		return &aliError{http.StatusBadRequest, "IncompleteSignature", "The Authorization header is malformed."}
	}
	secret, known := s.opts.Credentials[parts["Credential"]]
	if !known {
		return &aliError{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return &aliError{http.StatusBadRequest, "MissingParameter", "x-acs-date is missing or malformed."}
	}
	if skew := time.Since(date); skew > 15*time.Minute || skew < -15*time.Minute {
		return &aliError{http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	if r.Header.Get("x-acs-content-sha256") != sha256hex(body) {
		return &aliError{http.StatusBadRequest, "SignatureDoesNotMatch", "The payload hash does not match the body."}
	}
	signed := strings.Split(parts["SignedHeaders"], ";")
	for _, must := range []string{"host", "x-acs-action", "x-acs-date", "x-acs-signature-nonce", "x-acs-version", "x-acs-content-sha256"} {
		if !slices.Contains(signed, must) {
			return &aliError{http.StatusBadRequest, "IncompleteSignature", must + " must be signed."}
		}
	}
	var canonHeaders strings.Builder
	for _, h := range signed {
		v := strings.Join(r.Header.Values(h), ",")
		if h == "host" {
			v = r.Host
		}
		fmt.Fprintf(&canonHeaders, "%s:%s\n", h, strings.TrimSpace(v))
	}
	canonical := strings.Join([]string{
		r.Method, aliEscapePath(r.URL.Path), aliCanonicalQuery(r.URL.Query()), canonHeaders.String(),
		parts["SignedHeaders"], r.Header.Get("x-acs-content-sha256"),
	}, "\n")
	toSign := "ACS3-HMAC-SHA256\n" + sha256hex([]byte(canonical))
	want := hex.EncodeToString(hmacSHA256([]byte(secret), toSign))
	if !hmac.Equal([]byte(want), []byte(parts["Signature"])) {
		return &aliError{http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."}
	}
	return nil
}

func aliEscapePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// aliCanonicalQuery sorts the parameters and percent-encodes them as
// RFC 3986 (space %20, * %2A, ~ kept).
func aliCanonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := url.QueryEscape(q.Get(k))
		v = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(v)
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, "&")
}

func aliWriteError(w http.ResponseWriter, e aliError) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if e.Status == http.StatusOK {
		// A DTS error: HTTP 200, the verdict in the body.
		aliWrite(w, map[string]any{"RequestId": requestID(), "Success": "false", "ErrCode": e.Code, "ErrMessage": e.Message})
		return
	}
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"RequestId": requestID(), "HostId": "dts.aliyuncs.com", "Code": e.Code, "Message": e.Message,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + e.Code,
	})
}

func aliWrite(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// aliPaging reads PageNum/PageNumber and PageSize within the allowed sizes.
func aliPaging(w http.ResponseWriter, q url.Values, pageParam string, sizes []int, def int) (page, size int, ok bool) {
	page, size = 1, def
	if v := q.Get(pageParam); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			aliWriteError(w, aliError{http.StatusOK, "InvalidParameter", pageParam + " must be a positive integer."})
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(sizes, n) {
			aliWriteError(w, aliError{http.StatusOK, "InvalidParameter", fmt.Sprintf("PageSize must be one of %v.", sizes)})
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}

func aliPage[T any](items []T, page, size int) []T {
	from := (page - 1) * size
	if from >= len(items) {
		return []T{}
	}
	return items[from:min(from+size, len(items))]
}

func (s *Server) aliDescribeSynchronizationJobs(w http.ResponseWriter, region string, q url.Values) {
	page, size, ok := aliPaging(w, q, "PageNum", []int{10, 20, 30}, 30)
	if !ok {
		return
	}
	var all []AliSyncJob
	for _, job := range s.AlibabaSyncJobs(region) {
		// The list has no millisecond delay, checkpoint or incremental stage.
		job.DelayMillis, job.Checkpoint, job.DataSynchronizationStatus = nil, "", nil
		all = append(all, job)
	}
	items := aliPage(all, page, size)
	aliWrite(w, map[string]any{
		"RequestId": requestID(), "Success": "true", "ErrCode": "", "ErrMessage": "",
		"PageNumber": page, "PageRecordCount": len(items), "TotalRecordCount": len(all),
		"SynchronizationInstances": items,
	})
}

func (s *Server) aliDescribeSynchronizationJobStatus(w http.ResponseWriter, region string, q url.Values) {
	id := q.Get("SynchronizationJobId")
	if id == "" {
		aliWriteError(w, aliError{http.StatusOK, "MissingSynchronizationJobId", "SynchronizationJobId is mandatory for this action."})
		return
	}
	dir := q.Get("SynchronizationDirection")
	if dir == "" {
		dir = "Forward"
	}
	for _, job := range s.AlibabaSyncJobs(region) {
		if job.SynchronizationJobId == id && strings.EqualFold(job.SynchronizationDirection, dir) {
			aliWrite(w, struct {
				RequestId  string
				Success    string
				ErrCode    string
				ErrMessage string
				AliSyncJob
			}{requestID(), "true", "", "", job})
			return
		}
	}
	aliWriteError(w, aliError{http.StatusOK, "InvalidSynchronizationJobId.NotFound", fmt.Sprintf("The synchronization job %s (%s) does not exist.", id, dir)})
}

func (s *Server) aliDescribeDtsJobs(w http.ResponseWriter, region string, q url.Values) {
	page, size, ok := aliPaging(w, q, "PageNumber", []int{20, 30, 50, 100}, 20)
	if !ok {
		return
	}
	var all []AliDtsJob
	switch jt := q.Get("JobType"); jt {
	case "", "MIGRATION":
		all = s.AlibabaMigrationJobs(region)
	case "SYNC":
		all = s.AlibabaDtsSyncJobs(region)
	case "SUBSCRIBE":
	default:
		aliWriteError(w, aliError{http.StatusOK, "InvalidParameter", fmt.Sprintf("JobType %q is not valid.", jt)})
		return
	}
	if q.Get("WithoutDbList") != "true" {
		for i := range all {
			all[i].DbObject = `{"db_` + all[i].DtsJobId + `":{"name":"db","all":true}}`
		}
	}
	items := aliPage(all, page, size)
	aliWrite(w, map[string]any{
		"RequestId": requestID(), "Success": true, "HttpStatusCode": 200, "ErrCode": "", "ErrMessage": "",
		"PageNumber": page, "PageRecordCount": len(items), "TotalRecordCount": len(all),
		"DtsJobList": items, "EtlDemoList": []any{},
	})
}
