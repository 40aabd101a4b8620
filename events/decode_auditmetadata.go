package events

import (
	"google.golang.org/protobuf/types/known/structpb"
)

// decodeAuditMetadata reads the BigQueryAuditMetadata of an InsertJob or Query entry.
func decodeAuditMetadata(md *structpb.Struct, location string) (JobDone, error) {
	const field = "protoPayload.metadata"
	if md == nil {
		return JobDone{}, malformed(field, "missing")
	}
	var m bqMetadata
	if err := decodeStruct(field, md, &m); err != nil {
		return JobDone{}, err
	}
	var (
		j    JobDone
		job  *bqJob
		path string
	)
	switch {
	case m.JobChange != nil:
		j.Event, job, path = eventJobChange, m.JobChange.Job, field+".jobChange.job"
		j.State = JobState(m.JobChange.After)
	case m.JobInsertion != nil:
		j.Event, job, path = eventJobInsertion, m.JobInsertion.Job, field+".jobInsertion.job"
	default:
		// Another event of the job's method (tableDataRead, tableDataChange, ...): nothing to do.
		if j.Event = structEvent(md); j.Event == "" {
			return JobDone{}, malformed(field, "carries no event")
		}
		return j, nil
	}
	if job == nil {
		return JobDone{}, malformed(path, "missing")
	}
	if j.State == "" && job.JobStatus != nil {
		j.State = JobState(job.JobStatus.JobState)
	}
	project, id, err := parseJobName(path+".jobName", job.JobName)
	if err != nil {
		return JobDone{}, err
	}
	j.Job = JobRef{Project: project, ID: id, Location: location}
	destPath := path + ".jobConfig"
	if c := job.JobConfig; c != nil {
		var dest string
		switch {
		case c.QueryConfig != nil:
			j.Kind, dest, destPath = KindQuery, c.QueryConfig.DestinationTable, destPath+".queryConfig.destinationTable"
		case c.LoadConfig != nil:
			j.Kind, dest, destPath = KindLoad, c.LoadConfig.DestinationTable, destPath+".loadConfig.destinationTable"
		case c.TableCopyConfig != nil:
			j.Kind, dest, destPath = KindCopy, c.TableCopyConfig.DestinationTable, destPath+".tableCopyConfig.destinationTable"
		case c.ExtractConfig != nil:
			j.Kind, destPath = KindExtract, destPath+".extractConfig"
		}
		if dest != "" {
			if j.Destination, err = parseTableName(destPath, dest); err != nil {
				return JobDone{}, err
			}
		}
		j.Labels = labelsOf(c.Labels)
	}
	if s := job.JobStatus; s != nil {
		j.Err = statusFrom(s.ErrorResult)
	}
	if s := job.JobStats; s != nil {
		if j.StartTime, err = parseTime(path+".jobStats.startTime", s.StartTime); err != nil {
			return JobDone{}, err
		}
		if j.EndTime, err = parseTime(path+".jobStats.endTime", s.EndTime); err != nil {
			return JobDone{}, err
		}
	}
	if j.Finished() && j.Kind != KindExtract && j.Destination.IsZero() {
		return JobDone{}, malformed(destPath, "a finished job must name its destination table")
	}
	return j, nil
}
