#include <rapidjson/document.h>

#include "common/json/json_document.hpp"
#include "common/notify/notification_sink.hpp"

namespace jirasync {

PayloadText payload_text(const std::string& payload) {
  PayloadText out;
  rapidjson::Document doc;
  try {
    parse_json_text(payload, doc, "notification payload");
  } catch (const std::exception&) {
    return out;  // written by notification_payload(); never malformed in practice
  }
  if (!doc.IsObject()) return out;
  if (auto it = doc.FindMember("title"); it != doc.MemberEnd() && it->value.IsString()) {
    out.title = it->value.GetString();
  }
  if (auto it = doc.FindMember("text"); it != doc.MemberEnd() && it->value.IsString()) {
    out.text = it->value.GetString();
  }
  return out;
}

}  // namespace jirasync
