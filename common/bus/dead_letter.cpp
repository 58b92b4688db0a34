#include "common/bus/dead_letter.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json/json_writer.hpp"

namespace jirasync {

std::string dead_letter_record(const BusMessage& source, const std::string& reason) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("schema");
  w.Int(1);
  w.Key("type");
  w.String("dead_letter");
  w.Key("source_topic");
  w.String(source.topic.c_str(), static_cast<rapidjson::SizeType>(source.topic.size()));
  w.Key("partition");
  w.Int(source.partition);
  w.Key("offset");
  w.Int64(source.offset);
  w.Key("key");
  w.String(source.key.c_str(), static_cast<rapidjson::SizeType>(source.key.size()));
  w.Key("reason");
  w.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  // Kept as a string: the payload may not be valid JSON (that may be why it is here).
  w.Key("payload");
  w.String(source.value.c_str(), static_cast<rapidjson::SizeType>(source.value.size()));
  w.EndObject();
  return buf.GetString();
}

}  // namespace jirasync
