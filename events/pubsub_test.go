package events

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/google/go-cmp/cmp"
)

func TestDecodePubSubJSON(t *testing.T) {
	published := ts(t, "2021-02-05T04:06:14.109Z")
	binary := PubSubMessage{
		Message:      Message{Data: []byte{1, 2, 3, 4}, MessageID: "message-id", PublishTime: published},
		Subscription: "projects/my-project/subscriptions/my-subscription",
	}
	text := PubSubMessage{
		Message: Message{
			Data: []byte("test message 3"), Attributes: map[string]string{"attr1": "attr1-value"},
			MessageID: "message-id", PublishTime: published,
		},
		Subscription: "projects/my-project/subscriptions/my-subscription",
	}
	complexMsg := text
	complexMsg.Subscription = "projects/test-project/subscriptions/my-subscription"
	complexMsg.Message.OrderingKey = "ordering-key"
	simple := binary
	simple.Subscription = complexMsg.Subscription
	tests := []struct {
		name string
		data []byte
		want PubSubMessage
	}{
		{"binary data", fixture(t, "testdata_pubsub_v1_MessagePublishedData-binary.json"), binary},
		{"duplicated fields", fixture(t, "testdata_pubsub_v1_MessagePublishedData-duplicatedFields.json"), binary},
		{"text data and attributes", fixture(t, "testdata_pubsub_v1_MessagePublishedData-text.json"), text},
		{"ordering key", fixture(t, "example_binary_pubsub_MessagePublishedData-complex.json"), complexMsg},
		{"simple", fixture(t, "example_binary_pubsub_MessagePublishedData-simple.json"), simple},
		{"structured event data", structuredData(t, "example_structured_pubsub_MessagePublishedData.json"), complexMsg},
		{"snake case only", []byte(`{"message":{"data":"AQIDBA==","message_id":"message-id","publish_time":"2021-02-05T04:06:14.109Z"},
			"subscription":"projects/my-project/subscriptions/my-subscription"}`), binary},
		{"camel case wins", []byte(`{"message":{"data":"AQIDBA==","messageId":"message-id","message_id":"other",
			"publishTime":"2021-02-05T04:06:14.109Z","publish_time":"2000-01-01T00:00:00Z"},
			"subscription":"projects/my-project/subscriptions/my-subscription"}`), binary},
		{"no data", []byte(`{"message":{"messageId":"m","publishTime":"2021-02-05T04:06:14.109Z","attributes":{}}}`),
			PubSubMessage{Message: Message{MessageID: "m", PublishTime: published}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodePubSubJSON(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodePubSubJSON (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodePubSubJSONMalformed(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		wantField string
	}{
		{"not JSON", `{"message":`, "unexpected end"},
		{"not an object", `[]`, "cannot unmarshal array"},
		{"no message", `{"subscription":"projects/p/subscriptions/s"}`, "message"},
		{"null message", `{"message":null}`, "message"},
		{"no message id", `{"message":{"data":"AQ==","publishTime":"2021-02-05T04:06:14.109Z"}}`, "message.messageId"},
		{"no publish time", `{"message":{"data":"AQ==","messageId":"m"}}`, "message.publishTime"},
		{"bad publish time", `{"message":{"messageId":"m","publishTime":"05/02/2021"}}`, "message.publishTime"},
		{"bad base64", `{"message":{"data":"not base64!","messageId":"m","publishTime":"2021-02-05T04:06:14.109Z"}}`, "message.data"},
		{"attributes not strings", `{"message":{"attributes":{"a":1},"messageId":"m","publishTime":"2021-02-05T04:06:14.109Z"}}`,
			"message.attributes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePubSubJSON([]byte(tc.data))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.wantField) {
				t.Errorf("err = %q, want it to mention %s", err, tc.wantField)
			}
		})
	}
}

// TestStructuredPubSubEvent reads Google's structured-mode event with the CloudEvents SDK.
func TestStructuredPubSubEvent(t *testing.T) {
	var e event.Event
	if err := json.Unmarshal(fixture(t, "example_structured_pubsub_MessagePublishedData.json"), &e); err != nil {
		t.Fatal(err)
	}
	got, err := DecodePubSub(e)
	if err != nil {
		t.Fatal(err)
	}
	if got.Message.MessageID != "message-id" || string(got.Message.Data) != "test message 3" {
		t.Errorf("DecodePubSub = %+v", got)
	}
	if _, err := DecodeJobDone(e); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "3103425958877813") {
		t.Errorf("DecodeJobDone of a Pub/Sub event: err = %v, want ErrMalformed naming the event", err)
	}
}

func TestNewPubSubEvent(t *testing.T) {
	d := Delivery{
		Topic:        "projects/pltv-demo/topics/pltv-demo-extract-done",
		Subscription: "projects/pltv-demo/subscriptions/eventarc-us-central1-pltv-prepare-sub-412",
		MessageID:    "11301524782516693",
		PublishTime:  ts(t, "2024-05-02T05:00:41.345Z"),
	}
	e, err := NewPubSubEvent(d, []byte("hello"), map[string]string{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"specversion":     "1.0",
		"id":              d.MessageID,
		"source":          "//pubsub.googleapis.com/projects/pltv-demo/topics/pltv-demo-extract-done",
		"type":            TypeMessagePublished,
		"time":            "2024-05-02T05:00:41.345Z",
		"datacontenttype": "application/json",
	}
	if diff := cmp.Diff(want, attributes(e)); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	var body struct {
		Message map[string]any `json:"message"`
	}
	if err := json.Unmarshal(e.Data(), &body); err != nil {
		t.Fatal(err)
	}
	m := body.Message
	if m["message_id"] != d.MessageID || m["publish_time"] != "2024-05-02T05:00:41.345Z" || m["data"] != base64.StdEncoding.EncodeToString([]byte("hello")) {
		t.Errorf("message = %v, want the duplicated fields real deliveries carry and base64 data", m)
	}

	req, err := cehttp.NewHTTPRequestFromEvent(context.Background(), "http://localhost:8080/", e)
	if err != nil {
		t.Fatal(err)
	}
	received, err := cehttp.NewEventFromHTTPRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePubSub(*received)
	if err != nil {
		t.Fatal(err)
	}
	wantMsg := PubSubMessage{
		Message:      Message{Data: []byte("hello"), Attributes: map[string]string{"k": "v"}, MessageID: d.MessageID, PublishTime: d.PublishTime},
		Subscription: d.Subscription,
	}
	if diff := cmp.Diff(wantMsg, got); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
}

func TestNewPubSubEventRejects(t *testing.T) {
	good := Delivery{Topic: "projects/p/topics/t", Subscription: "projects/p/subscriptions/s", MessageID: "1", PublishTime: ts(t, "2024-05-02T05:00:41Z")}
	tests := []struct {
		name string
		edit func(*Delivery)
	}{
		{"topic not a resource name", func(d *Delivery) { d.Topic = "t" }},
		{"subscription of another collection", func(d *Delivery) { d.Subscription = "projects/p/topics/s" }},
		{"no message id", func(d *Delivery) { d.MessageID = "" }},
		{"no publish time", func(d *Delivery) { d.PublishTime = time.Time{} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := good
			tc.edit(&d)
			if _, err := NewPubSubEvent(d, nil, nil); err == nil {
				t.Error("built an event, want an error")
			}
		})
	}
}
