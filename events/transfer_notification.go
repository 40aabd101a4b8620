package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// TransferRunFinished is a TRANSFER_RUN_FINISHED notification: a finished transfer run, delivered as a
// Pub/Sub message whose data is the run in JSON.
type TransferRunFinished struct {
	MessageID    string
	PublishTime  time.Time
	Subscription string
	Run          TransferRun
}

// DecodeTransferRun decodes the Pub/Sub event (TypeMessagePublished) of a transfer run notification.
func DecodeTransferRun(e event.Event) (TransferRunFinished, error) {
	data, err := eventData(e, TypeMessagePublished)
	if err != nil {
		return TransferRunFinished{}, err
	}
	f, err := DecodeTransferRunJSON(data)
	if err != nil {
		return TransferRunFinished{}, withEvent(err, e.ID(), e.Type())
	}
	return f, nil
}

// DecodeTransferRunJSON decodes the data of the Pub/Sub event of a transfer run notification: a message
// with attributes eventType=TRANSFER_RUN_FINISHED and payloadFormat=JSON_API_V1, and the run as data.
func DecodeTransferRunJSON(data []byte) (TransferRunFinished, error) {
	p, err := DecodePubSubJSON(data)
	if err != nil {
		return TransferRunFinished{}, err
	}
	m := p.Message
	if v := m.Attributes[AttrEventType]; v != EventTransferRunDone {
		return TransferRunFinished{}, malformed("message.attributes."+AttrEventType, "want %s, got %q", EventTransferRunDone, v)
	}
	if v := m.Attributes[AttrPayloadFormat]; v != PayloadFormatJSONAPI1 {
		return TransferRunFinished{}, malformed("message.attributes."+AttrPayloadFormat, "want %s, got %q", PayloadFormatJSONAPI1, v)
	}
	run, err := ParseTransferRun(m.Data)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			de.Field = join("message.data", de.Field)
		}
		return TransferRunFinished{}, err
	}
	return TransferRunFinished{MessageID: m.MessageID, PublishTime: m.PublishTime, Subscription: p.Subscription, Run: run}, nil
}

// ParseTransferRun decodes a TransferRun in JSON (a notification's message data) and checks it has a name,
// a known state and a run time.
func ParseTransferRun(data []byte) (TransferRun, error) {
	var w transferRunJSON
	if err := unmarshalJSON("", data, &w); err != nil {
		return TransferRun{}, err
	}
	r, err := w.run()
	if err != nil {
		return TransferRun{}, err
	}
	if err := r.check(); err != nil {
		return TransferRun{}, err
	}
	return r, nil
}

// NewTransferRunFinishedEvent returns the event Eventarc delivers when the Data Transfer Service notifies
// d.Topic that run finished: the run in JSON as message data (base64 in the body), with the eventType and
// payloadFormat attributes.
func NewTransferRunFinishedEvent(d Delivery, run TransferRun) (event.Event, error) {
	if err := run.check(); err != nil {
		return event.Event{}, fmt.Errorf("build transfer run event: %w", err)
	}
	data, err := json.Marshal(transferRunWire(run))
	if err != nil {
		return event.Event{}, fmt.Errorf("build transfer run event: %w", err)
	}
	return NewPubSubEvent(d, data, map[string]string{
		AttrEventType:     EventTransferRunDone,
		AttrPayloadFormat: PayloadFormatJSONAPI1,
	})
}
