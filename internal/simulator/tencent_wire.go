package simulator

// Wire types of Tencent Cloud DTS API 2021-12-06 as the simulator sends them.
// They are our own, not the SDK's: the SDK's omitempty tags would drop the
// explicit nulls that real answers carry (see the vendor example answers).

// TCSyncJob is SyncJobInfo.
type TCSyncJob struct {
	JobId                     *string          `json:"JobId"`
	JobName                   *string          `json:"JobName"`
	PayMode                   string           `json:"PayMode"`
	RunMode                   string           `json:"RunMode"`
	ExpectRunTime             string           `json:"ExpectRunTime"`
	AllActions                []string         `json:"AllActions"`
	Actions                   []string         `json:"Actions"`
	Options                   *TCOptions       `json:"Options"`
	Objects                   *TCObjects       `json:"Objects"`
	Specification             string           `json:"Specification"`
	ExpireTime                string           `json:"ExpireTime"`
	SrcRegion                 string           `json:"SrcRegion"`
	SrcDatabaseType           string           `json:"SrcDatabaseType"`
	SrcAccessType             string           `json:"SrcAccessType"`
	SrcInfo                   *TCEndpoint      `json:"SrcInfo"`
	SrcNodeType               string           `json:"SrcNodeType"`
	SrcInfos                  *TCEndpointInfos `json:"SrcInfos"`
	DstRegion                 string           `json:"DstRegion"`
	DstDatabaseType           string           `json:"DstDatabaseType"`
	DstAccessType             string           `json:"DstAccessType"`
	DstInfo                   *TCEndpoint      `json:"DstInfo"`
	DstNodeType               string           `json:"DstNodeType"`
	DstInfos                  *TCEndpointInfos `json:"DstInfos"`
	CreateTime                string           `json:"CreateTime"`
	StartTime                 string           `json:"StartTime"`
	EndTime                   string           `json:"EndTime"`
	Status                    string           `json:"Status"`
	Tags                      []TCTag          `json:"Tags"`
	Detail                    *TCSyncDetail    `json:"Detail"`
	TradeStatus               string           `json:"TradeStatus"`
	InstanceClass             string           `json:"InstanceClass"`
	AutoRenew                 uint64           `json:"AutoRenew"`
	OfflineTime               string           `json:"OfflineTime"`
	OptObjStatus              string           `json:"OptObjStatus"`
	AutoRetryTimeRangeMinutes int64            `json:"AutoRetryTimeRangeMinutes"`
	DumperResumeCtrl          string           `json:"DumperResumeCtrl"`
}

// TCSyncDetail is SyncDetailInfo. Progress and CurrentStepProgress use -1
// for "not applicable".
type TCSyncDetail struct {
	StepAll               uint64     `json:"StepAll"`
	StepNow               uint64     `json:"StepNow"`
	Progress              int64      `json:"Progress"`
	CurrentStepProgress   int64      `json:"CurrentStepProgress"`
	MasterSlaveDistance   int64      `json:"MasterSlaveDistance"`
	SecondsBehindMaster   int64      `json:"SecondsBehindMaster"`
	Message               string     `json:"Message"`
	StepInfos             []TCStep   `json:"StepInfos"`
	CauseOfCompareDisable string     `json:"CauseOfCompareDisable"`
	ErrInfo               *TCErrInfo `json:"ErrInfo"`
}

// TCStep is StepInfo.
type TCStep struct {
	StepNo     uint64      `json:"StepNo"`
	StepName   string      `json:"StepName"`
	StepId     string      `json:"StepId"`
	Status     string      `json:"Status"`
	StartTime  string      `json:"StartTime"`
	FinishTime string      `json:"FinishTime"`
	Errors     []TCStepTip `json:"Errors"`
	Warnings   []TCStepTip `json:"Warnings"`
	Progress   int64       `json:"Progress"`
}

// TCStepTip is StepTip.
type TCStepTip struct {
	Code     string `json:"Code"`
	Message  string `json:"Message"`
	Solution string `json:"Solution"`
	HelpDoc  string `json:"HelpDoc"`
	SkipInfo string `json:"SkipInfo"`
}

// TCErrInfo is ErrInfo.
type TCErrInfo struct {
	Reason   string `json:"Reason"`
	Message  string `json:"Message"`
	Solution string `json:"Solution"`
}

// TCEndpoint is Endpoint. Password, TmpSecretId, TmpSecretKey and TmpToken
// are filled on purpose: the exporter must never let them out.
type TCEndpoint struct {
	Region         string `json:"Region"`
	Role           string `json:"Role"`
	DbKernel       string `json:"DbKernel"`
	InstanceId     string `json:"InstanceId"`
	Ip             string `json:"Ip"`
	Port           uint64 `json:"Port"`
	User           string `json:"User"`
	Password       string `json:"Password"`
	DbName         string `json:"DbName"`
	VpcId          string `json:"VpcId"`
	SubnetId       string `json:"SubnetId"`
	CvmInstanceId  string `json:"CvmInstanceId"`
	UniqDcgId      string `json:"UniqDcgId"`
	UniqVpnGwId    string `json:"UniqVpnGwId"`
	CcnId          string `json:"CcnId"`
	Supplier       string `json:"Supplier"`
	EngineVersion  string `json:"EngineVersion"`
	Account        string `json:"Account"`
	AccountMode    string `json:"AccountMode"`
	AccountRole    string `json:"AccountRole"`
	RoleExternalId string `json:"RoleExternalId"`
	TmpSecretId    string `json:"TmpSecretId"`
	TmpSecretKey   string `json:"TmpSecretKey"`
	TmpToken       string `json:"TmpToken"`
	EncryptConn    string `json:"EncryptConn"`
	DatabaseNetEnv string `json:"DatabaseNetEnv"`
	CcnOwnerUin    string `json:"CcnOwnerUin"`
}

// TCEndpointInfos is SyncDBEndpointInfos; Info is null for single nodes.
type TCEndpointInfos struct {
	Region       string       `json:"Region"`
	AccessType   string       `json:"AccessType"`
	DatabaseType string       `json:"DatabaseType"`
	Info         []TCEndpoint `json:"Info"`
}

// TCTag is TagItem.
type TCTag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// TCOptions is a trimmed Options: the fields the vendor example shows at top level.
type TCOptions struct {
	InitType             string   `json:"InitType"`
	DealOfExistSameTable string   `json:"DealOfExistSameTable"`
	ConflictHandleType   string   `json:"ConflictHandleType"`
	AddAdditionalColumn  bool     `json:"AddAdditionalColumn"`
	OpTypes              []string `json:"OpTypes"`
	DdlOptions           []string `json:"DdlOptions"`
}

// TCObjects is a trimmed Objects.
type TCObjects struct {
	Mode      string       `json:"Mode"`
	Databases []TCDatabase `json:"Databases"`
}

// TCDatabase is a trimmed Database.
type TCDatabase struct {
	DbName    string `json:"DbName"`
	DbMode    string `json:"DbMode"`
	TableMode string `json:"TableMode"`
}
