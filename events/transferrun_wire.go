package events

import "time"

// transferRunJSON is a TransferRun as the Data Transfer Service writes it in a JSON_API_V1 notification.
type transferRunJSON struct {
	DataSourceID            string              `json:"dataSourceId"`
	DestinationDatasetID    string              `json:"destinationDatasetId"`
	EmailPreferences        *emailPreferences   `json:"emailPreferences,omitempty"`
	EndTime                 string              `json:"endTime,omitempty"`
	ErrorStatus             *rpcStatus          `json:"errorStatus,omitempty"`
	Name                    string              `json:"name"`
	NotificationPubsubTopic string              `json:"notificationPubsubTopic,omitempty"`
	Params                  *transferParamsJSON `json:"params,omitempty"`
	RunTime                 string              `json:"runTime"`
	Schedule                string              `json:"schedule,omitempty"`
	ScheduleTime            string              `json:"scheduleTime,omitempty"`
	StartTime               string              `json:"startTime,omitempty"`
	State                   string              `json:"state"`
	UpdateTime              string              `json:"updateTime,omitempty"`
	UserID                  string              `json:"userId,omitempty"`
}

type emailPreferences struct {
	EnableFailureEmail bool `json:"enableFailureEmail,omitempty"`
}

type transferParamsJSON struct {
	DestinationTableNameTemplate string `json:"destination_table_name_template,omitempty"`
	PartitioningField            string `json:"partitioning_field,omitempty"`
	Query                        string `json:"query,omitempty"`
	WriteDisposition             string `json:"write_disposition,omitempty"`
}

func (w transferRunJSON) run() (TransferRun, error) {
	r := TransferRun{
		Name:                    w.Name,
		DataSourceID:            w.DataSourceID,
		DestinationDatasetID:    w.DestinationDatasetID,
		State:                   TransferState(w.State),
		Err:                     statusFrom(w.ErrorStatus),
		UserID:                  w.UserID,
		Schedule:                w.Schedule,
		NotificationPubsubTopic: w.NotificationPubsubTopic,
	}
	if p := w.Params; p != nil {
		r.Params = TransferParams{
			Query:                        p.Query,
			DestinationTableNameTemplate: p.DestinationTableNameTemplate,
			WriteDisposition:             p.WriteDisposition,
			PartitioningField:            p.PartitioningField,
		}
	}
	for _, t := range []struct {
		field string
		s     string
		dst   *time.Time
	}{
		{"runTime", w.RunTime, &r.RunTime},
		{"scheduleTime", w.ScheduleTime, &r.ScheduleTime},
		{"startTime", w.StartTime, &r.StartTime},
		{"endTime", w.EndTime, &r.EndTime},
		{"updateTime", w.UpdateTime, &r.UpdateTime},
	} {
		var err error
		if *t.dst, err = parseTime(t.field, t.s); err != nil {
			return TransferRun{}, err
		}
	}
	return r, nil
}

func transferRunWire(r TransferRun) transferRunJSON {
	return transferRunJSON{
		DataSourceID:            r.DataSourceID,
		DestinationDatasetID:    r.DestinationDatasetID,
		EmailPreferences:        &emailPreferences{},
		EndTime:                 formatTime(r.EndTime),
		ErrorStatus:             statusOf(r.Err),
		Name:                    r.Name,
		NotificationPubsubTopic: r.NotificationPubsubTopic,
		Params: &transferParamsJSON{
			DestinationTableNameTemplate: r.Params.DestinationTableNameTemplate,
			PartitioningField:            r.Params.PartitioningField,
			Query:                        r.Params.Query,
			WriteDisposition:             r.Params.WriteDisposition,
		},
		RunTime:      formatTime(r.RunTime),
		Schedule:     r.Schedule,
		ScheduleTime: formatTime(r.ScheduleTime),
		StartTime:    formatTime(r.StartTime),
		State:        string(r.State),
		UpdateTime:   formatTime(r.UpdateTime),
		UserID:       r.UserID,
	}
}
