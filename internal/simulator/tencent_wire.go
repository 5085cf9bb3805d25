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

// TCCheckSyncJobResult is the DescribeCheckSyncJobResult answer.
type TCCheckSyncJobResult struct {
	Status    string   `json:"Status"`
	StepCount uint64   `json:"StepCount"`
	StepCur   uint64   `json:"StepCur"`
	Progress  uint64   `json:"Progress"`
	StepInfos []TCStep `json:"StepInfos"`
}

// TCMigrationJob is JobItem (DescribeMigrationJobs).
type TCMigrationJob struct {
	JobId                     *string            `json:"JobId"`
	JobName                   *string            `json:"JobName"`
	CreateTime                string             `json:"CreateTime"`
	UpdateTime                string             `json:"UpdateTime"`
	StartTime                 string             `json:"StartTime"`
	EndTime                   string             `json:"EndTime"`
	BriefMsg                  string             `json:"BriefMsg"`
	Status                    string             `json:"Status"`
	RunMode                   string             `json:"RunMode"`
	ExpectRunTime             string             `json:"ExpectRunTime"`
	Action                    *TCMigrateAction   `json:"Action"`
	StepInfo                  *TCMigrateDetail   `json:"StepInfo"`
	SrcInfo                   *TCDBEndpointInfo  `json:"SrcInfo"`
	DstInfo                   *TCDBEndpointInfo  `json:"DstInfo"`
	CompareTask               *TCCompareTaskInfo `json:"CompareTask"`
	TradeInfo                 *TCTradeInfo       `json:"TradeInfo"`
	Tags                      []TCTag            `json:"Tags"`
	AutoRetryTimeRangeMinutes int64              `json:"AutoRetryTimeRangeMinutes"`
	DumperResumeCtrl          string             `json:"DumperResumeCtrl"`
}

// TCMigrateAction is MigrateAction.
type TCMigrateAction struct {
	AllAction     []string `json:"AllAction"`
	AllowedAction []string `json:"AllowedAction"`
}

// TCMigrateDetail is MigrateDetailInfo: -1 lag values mean "not valid now".
type TCMigrateDetail struct {
	StepAll             uint64          `json:"StepAll"`
	StepNow             uint64          `json:"StepNow"`
	MasterSlaveDistance int64           `json:"MasterSlaveDistance"`
	SecondsBehindMaster int64           `json:"SecondsBehindMaster"`
	StepInfo            []TCMigrateStep `json:"StepInfo"`
}

// TCMigrateStep is StepDetailInfo.
type TCMigrateStep struct {
	StepNo      uint64             `json:"StepNo"`
	StepName    string             `json:"StepName"`
	StepId      string             `json:"StepId"`
	Status      string             `json:"Status"`
	StartTime   *string            `json:"StartTime"`
	FinishTime  string             `json:"FinishTime"`
	StepMessage string             `json:"StepMessage"`
	Percent     uint64             `json:"Percent"`
	Errors      []TCProcessStepTip `json:"Errors"`
	Warnings    []TCProcessStepTip `json:"Warnings"`
}

// TCProcessStepTip is ProcessStepTip.
type TCProcessStepTip struct {
	Message  string `json:"Message"`
	Solution string `json:"Solution"`
	HelpDoc  string `json:"HelpDoc"`
}

// TCDBEndpointInfo is DBEndpointInfo.
type TCDBEndpointInfo struct {
	Region         string     `json:"Region"`
	AccessType     string     `json:"AccessType"`
	DatabaseType   string     `json:"DatabaseType"`
	NodeType       string     `json:"NodeType"`
	Info           []TCDBInfo `json:"Info"`
	Supplier       string     `json:"Supplier"`
	ExtraAttr      []any      `json:"ExtraAttr"`
	DatabaseNetEnv string     `json:"DatabaseNetEnv"`
	ConnectType    string     `json:"ConnectType"`
	CcnOwnerUin    string     `json:"CcnOwnerUin"`
}

// TCDBInfo is DBInfo; its secret fields are filled on purpose.
type TCDBInfo struct {
	Role          string `json:"Role"`
	DbKernel      string `json:"DbKernel"`
	Host          string `json:"Host"`
	Port          uint64 `json:"Port"`
	User          string `json:"User"`
	Password      string `json:"Password"`
	CvmInstanceId string `json:"CvmInstanceId"`
	UniqVpnGwId   string `json:"UniqVpnGwId"`
	UniqDcgId     string `json:"UniqDcgId"`
	InstanceId    string `json:"InstanceId"`
	CcnGwId       string `json:"CcnGwId"`
	VpcId         string `json:"VpcId"`
	SubnetId      string `json:"SubnetId"`
	EngineVersion string `json:"EngineVersion"`
	Account       string `json:"Account"`
	AccountRole   string `json:"AccountRole"`
	AccountMode   string `json:"AccountMode"`
	TmpSecretId   string `json:"TmpSecretId"`
	TmpSecretKey  string `json:"TmpSecretKey"`
	TmpToken      string `json:"TmpToken"`
	EncryptConn   string `json:"EncryptConn"`
	SetId         string `json:"SetId"`
}

// TCCompareTaskInfo is CompareTaskInfo.
type TCCompareTaskInfo struct {
	CompareTaskId string `json:"CompareTaskId"`
	Status        string `json:"Status"`
}

// TCTradeInfo is TradeInfo (lower-case values, unlike the sync API).
type TCTradeInfo struct {
	DealName      string `json:"DealName"`
	LastDealName  string `json:"LastDealName"`
	InstanceClass string `json:"InstanceClass"`
	TradeStatus   string `json:"TradeStatus"`
	ExpireTime    string `json:"ExpireTime"`
	OfflineTime   string `json:"OfflineTime"`
	IsolateTime   string `json:"IsolateTime"`
	OfflineReason string `json:"OfflineReason"`
	IsolateReason string `json:"IsolateReason"`
	PayType       string `json:"PayType"`
	BillingType   string `json:"BillingType"`
}

// TCMigrationCheck is the DescribeMigrationCheckJob answer.
type TCMigrationCheck struct {
	Status    string        `json:"Status"`
	BriefMsg  string        `json:"BriefMsg"`
	StepInfo  []TCCheckStep `json:"StepInfo"`
	CheckFlag string        `json:"CheckFlag"`
}

// TCCheckStep is CheckStep.
type TCCheckStep struct {
	StepNo           uint64              `json:"StepNo"`
	StepId           string              `json:"StepId"`
	StepName         string              `json:"StepName"`
	StepStatus       string              `json:"StepStatus"`
	StepMessage      string              `json:"StepMessage"`
	DetailCheckItems []TCDetailCheckItem `json:"DetailCheckItems"`
	HasSkipped       bool                `json:"HasSkipped"`
}

// TCDetailCheckItem is DetailCheckItem.
type TCDetailCheckItem struct {
	CheckItemName string   `json:"CheckItemName"`
	Description   string   `json:"Description"`
	CheckResult   string   `json:"CheckResult"`
	FailureReason string   `json:"FailureReason"`
	Solution      string   `json:"Solution"`
	ErrorLog      []string `json:"ErrorLog"`
	HelpDoc       []string `json:"HelpDoc"`
	SkipInfo      string   `json:"SkipInfo"`
}

// TCLegacySyncJob is the 2018-03-30 SyncJobInfo.
type TCLegacySyncJob struct {
	JobId           string              `json:"JobId"`
	JobName         string              `json:"JobName"`
	SyncOption      TCLegacySyncOption  `json:"SyncOption"`
	SrcAccessType   string              `json:"SrcAccessType"`
	SrcDatabaseType string              `json:"SrcDatabaseType"`
	SrcInfo         TCLegacyInstance    `json:"SrcInfo"`
	DstAccessType   string              `json:"DstAccessType"`
	DstDatabaseType string              `json:"DstDatabaseType"`
	DstInfo         TCLegacyInstance    `json:"DstInfo"`
	Detail          *TCLegacySyncDetail `json:"Detail"`
	Status          int64               `json:"Status"`
	DatabaseInfo    string              `json:"DatabaseInfo"`
	CreateTime      string              `json:"CreateTime"`
	StartTime       string              `json:"StartTime"`
	EndTime         string              `json:"EndTime"`
}

// TCLegacySyncOption is the 2018-03-30 SyncOption.
type TCLegacySyncOption struct {
	SyncObject      int64 `json:"SyncObject"`
	RunMode         int64 `json:"RunMode"`
	SyncType        int64 `json:"SyncType"`
	ConsistencyType int64 `json:"ConsistencyType"`
}

// TCLegacyInstance is the 2018-03-30 SyncInstanceInfo.
type TCLegacyInstance struct {
	Region     string `json:"Region"`
	InstanceId string `json:"InstanceId"`
}

// TCLegacySyncDetail is the 2018-03-30 SyncDetailInfo: progress as strings.
type TCLegacySyncDetail struct {
	StepAll             int64              `json:"StepAll"`
	StepNow             int64              `json:"StepNow"`
	Progress            string             `json:"Progress"`
	CurrentStepProgress string             `json:"CurrentStepProgress"`
	MasterSlaveDistance int64              `json:"MasterSlaveDistance"`
	SecondsBehindMaster int64              `json:"SecondsBehindMaster"`
	StepInfo            []TCLegacySyncStep `json:"StepInfo"`
}

// TCLegacySyncStep is SyncStepDetailInfo: no status.
type TCLegacySyncStep struct {
	StepNo   uint64 `json:"StepNo"`
	StepName string `json:"StepName"`
	CanStop  int64  `json:"CanStop"`
	StepId   int64  `json:"StepId"`
}

// TCLegacySyncCheck is the DescribeSyncCheckJob answer.
type TCLegacySyncCheck struct {
	Status       string                  `json:"Status"`
	ErrorCode    int64                   `json:"ErrorCode"`
	ErrorMessage string                  `json:"ErrorMessage"`
	StepInfo     []TCLegacySyncCheckStep `json:"StepInfo"`
	CheckFlag    int64                   `json:"CheckFlag"`
}

// TCLegacySyncCheckStep is SyncCheckStepInfo.
type TCLegacySyncCheckStep struct {
	StepNo      uint64 `json:"StepNo"`
	StepName    string `json:"StepName"`
	StepCode    int64  `json:"StepCode"`
	StepMessage string `json:"StepMessage"`
}
