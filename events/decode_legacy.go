package events

import (
	"github.com/pltv/pltv/warehouse"
	"google.golang.org/protobuf/types/known/structpb"
)

// decodeLegacy reads the AuditData of a jobservice.jobcompleted entry.
func decodeLegacy(sd *structpb.Struct) (JobDone, error) {
	const field = "protoPayload.serviceData"
	if sd == nil {
		return JobDone{}, malformed(field, "missing")
	}
	var d legacyServiceData
	if err := decodeStruct(field, sd, &d); err != nil {
		return JobDone{}, err
	}
	ev := d.JobCompletedEvent
	if ev == nil {
		return JobDone{}, malformed(field+".jobCompletedEvent", "missing")
	}
	if ev.EventName == "" {
		return JobDone{}, malformed(field+".jobCompletedEvent.eventName", "missing")
	}
	path := field + ".jobCompletedEvent.job"
	job := ev.Job
	if job == nil {
		return JobDone{}, malformed(path, "missing")
	}
	n := job.JobName
	if n == nil || n.ProjectID == "" || n.JobID == "" {
		return JobDone{}, malformed(path+".jobName", "want projectId and jobId")
	}
	j := JobDone{Event: ev.EventName, Job: JobRef{Project: n.ProjectID, ID: n.JobID, Location: n.Location}}
	destPath := path + ".jobConfiguration"
	if c := job.JobConfiguration; c != nil {
		var dest *legacyTableName
		switch {
		case c.Query != nil:
			j.Kind, dest, destPath = KindQuery, c.Query.DestinationTable, destPath+".query.destinationTable"
		case c.Load != nil:
			j.Kind, dest, destPath = KindLoad, c.Load.DestinationTable, destPath+".load.destinationTable"
		case c.TableCopy != nil:
			j.Kind, dest, destPath = KindCopy, c.TableCopy.DestinationTable, destPath+".tableCopy.destinationTable"
		case c.Extract != nil:
			j.Kind, destPath = KindExtract, destPath+".extract"
		}
		if dest != nil && *dest != (legacyTableName{}) {
			if dest.ProjectID == "" || dest.DatasetID == "" || dest.TableID == "" {
				return JobDone{}, malformed(destPath, "want projectId, datasetId and tableId")
			}
			j.Destination = warehouse.Ref{Project: dest.ProjectID, Dataset: dest.DatasetID, Table: dest.TableID}
		}
		j.Labels = labelsOf(c.Labels)
	}
	if s := job.JobStatus; s != nil {
		j.State, j.Err = JobState(s.State), statusFrom(s.Error)
	}
	if s := job.JobStatistics; s != nil {
		var err error
		if j.StartTime, err = parseTime(path+".jobStatistics.startTime", s.StartTime); err != nil {
			return JobDone{}, err
		}
		if j.EndTime, err = parseTime(path+".jobStatistics.endTime", s.EndTime); err != nil {
			return JobDone{}, err
		}
	}
	if j.Finished() && j.Kind != KindExtract && j.Destination.IsZero() {
		return JobDone{}, malformed(destPath, "a finished job must name its destination table")
	}
	return j, nil
}
