#include "common/notify/slack_sink.hpp"

#include "common/json/json_writer.hpp"
#include "common/notify/json_post.hpp"

namespace jirasync {

namespace {

std::string slack_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string slack_message(const OutboxEntry& entry) {
  const PayloadText t = payload_text(entry.payload);
  const std::string title = slack_escape(t.title);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "text", title);
  w.Key("blocks");
  w.StartArray();
  w.StartObject();
  write_string(w, "type", "section");
  w.Key("text");
  w.StartObject();
  write_string(w, "type", "mrkdwn");
  write_string(w, "text", "*" + title + "*" + (t.text.empty() ? "" : "\n" + slack_escape(t.text)));
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

SlackSink::SlackSink(std::string name, std::string url, int timeout_ms)
    : name_(std::move(name)), url_(std::move(url)), timeout_ms_(timeout_ms) {}

void SlackSink::deliver(const OutboxEntry& entry) {
  post_json(name_, url_, slack_message(entry), {}, timeout_ms_);
}

}  // namespace jirasync
