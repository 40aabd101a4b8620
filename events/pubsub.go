package events

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// PubSubMessage is the data of a Pub/Sub event (TypeMessagePublished): the message and the subscription
// that delivered it. google-cloudevents-go has no Go type for it, and real deliveries carry fields twice
// (messageId and message_id, publishTime and publish_time), which its proto would refuse.
type PubSubMessage struct {
	Message      Message
	Subscription string
}

// Message is one Pub/Sub message.
type Message struct {
	Data        []byte            // nil when the message has none
	Attributes  map[string]string // nil when the message has none
	MessageID   string
	PublishTime time.Time
	OrderingKey string
}

// pubsubJSON is the wire form, with the duplicated snake_case fields Eventarc writes.
type pubsubJSON struct {
	Message      *messageJSON `json:"message"`
	Subscription string       `json:"subscription,omitempty"`
}

type messageJSON struct {
	Attributes       map[string]string `json:"attributes,omitempty"`
	Data             string            `json:"data,omitempty"`
	MessageID        string            `json:"messageId"`
	MessageIDSnake   string            `json:"message_id,omitempty"`
	OrderingKey      string            `json:"orderingKey,omitempty"`
	PublishTime      string            `json:"publishTime"`
	PublishTimeSnake string            `json:"publish_time,omitempty"`
}

// DecodePubSub decodes a Pub/Sub event (TypeMessagePublished).
func DecodePubSub(e event.Event) (PubSubMessage, error) {
	data, err := eventData(e, TypeMessagePublished)
	if err != nil {
		return PubSubMessage{}, err
	}
	m, err := DecodePubSubJSON(data)
	if err != nil {
		return PubSubMessage{}, withEvent(err, e.ID(), e.Type())
	}
	return m, nil
}

// DecodePubSubJSON decodes the data of a Pub/Sub event. Of a field written twice, the camelCase one wins.
func DecodePubSubJSON(data []byte) (PubSubMessage, error) {
	var w pubsubJSON
	if err := unmarshalJSON("", data, &w); err != nil {
		return PubSubMessage{}, err
	}
	m := w.Message
	if m == nil {
		return PubSubMessage{}, malformed("message", "missing")
	}
	id := first(m.MessageID, m.MessageIDSnake)
	if id == "" {
		return PubSubMessage{}, malformed("message.messageId", "missing")
	}
	if strings.TrimSpace(id) == "" {
		// an id of spaces cannot be a CloudEvent's id, nor tell one delivery from another
		return PubSubMessage{}, malformed("message.messageId", "blank")
	}
	published := first(m.PublishTime, m.PublishTimeSnake)
	if published == "" {
		return PubSubMessage{}, malformed("message.publishTime", "missing")
	}
	t, err := parseTime("message.publishTime", published)
	if err != nil {
		return PubSubMessage{}, err
	}
	payload, err := base64.StdEncoding.DecodeString(m.Data)
	if err != nil {
		return PubSubMessage{}, malformed("message.data", "base64: %w", err)
	}
	msg := Message{MessageID: id, PublishTime: t, OrderingKey: m.OrderingKey}
	if len(payload) > 0 {
		msg.Data = payload
	}
	if len(m.Attributes) > 0 {
		msg.Attributes = m.Attributes
	}
	return PubSubMessage{Message: msg, Subscription: w.Subscription}, nil
}

// Delivery is how a Pub/Sub message reached its subscriber.
type Delivery struct {
	Topic        string // projects/P/topics/T
	Subscription string // projects/P/subscriptions/S
	MessageID    string
	PublishTime  time.Time
}

// NewPubSubEvent returns the event Eventarc delivers for a message published to d.Topic: id the message id,
// source //pubsub.googleapis.com/projects/P/topics/T, time the publish time, and the body a push
// subscription receives, duplicated fields included.
func NewPubSubEvent(d Delivery, data []byte, attributes map[string]string) (event.Event, error) {
	if _, _, err := requireName("topic", d.Topic, "topics"); err != nil {
		return event.Event{}, fmt.Errorf("build pubsub event: %w", err)
	}
	if _, _, err := requireName("subscription", d.Subscription, "subscriptions"); err != nil {
		return event.Event{}, fmt.Errorf("build pubsub event: %w", err)
	}
	if strings.TrimSpace(d.MessageID) == "" || d.PublishTime.IsZero() {
		return event.Event{}, fmt.Errorf("build pubsub event: message id and publish time are required")
	}
	published := formatTime(d.PublishTime)
	body, err := json.Marshal(pubsubJSON{
		Message: &messageJSON{
			Attributes:       attributes,
			Data:             base64.StdEncoding.EncodeToString(data),
			MessageID:        d.MessageID,
			MessageIDSnake:   d.MessageID,
			PublishTime:      published,
			PublishTimeSnake: published,
		},
		Subscription: d.Subscription,
	})
	if err != nil {
		return event.Event{}, fmt.Errorf("build pubsub event: %w", err)
	}
	e := event.New()
	e.SetID(d.MessageID)
	e.SetSource("//pubsub.googleapis.com/" + d.Topic)
	e.SetType(TypeMessagePublished)
	e.SetTime(d.PublishTime.UTC())
	if err := e.SetData(contentTypePubSub, body); err != nil {
		return event.Event{}, fmt.Errorf("build pubsub event: %w", err)
	}
	if err := e.Validate(); err != nil {
		return event.Event{}, fmt.Errorf("build pubsub event: %w", err)
	}
	return e, nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
