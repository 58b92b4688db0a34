#include "services/fetcher/fetch_slice.hpp"

#include "common/envelope/envelope_format.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {

std::string slice_key(const FetchSlice& slice) {
  return slice.run_id + "/" + std::to_string(slice.seq);
}

std::string encode(const FetchSlice& slice) {
  rapidjson::StringBuffer buffer;
  envelope::JsonWriter w(buffer);
  envelope::begin(w, "fetch_slice");
  envelope::write_string(w, "run_id", slice.run_id);
  envelope::write_string(w, "project", slice.project);
  envelope::write_int64(w, "attempt", slice.attempt);
  envelope::write_string(w, "listing", slice.listing);
  envelope::write_int64(w, "seq", slice.seq);
  envelope::write_strings(w, "ids", slice.ids);
  envelope::write_bool(w, "moves_cursor", slice.moves_cursor);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

FetchSlice decode_fetch_slice(const std::string& json) {
  rapidjson::Document doc;
  envelope::expect_type(envelope::parse(json, doc), "fetch_slice");
  const envelope::FieldReader r(doc, "");
  FetchSlice slice;
  slice.run_id = r.string("run_id");
  if (slice.run_id.empty()) throw PayloadError("run_id", "must not be empty");
  slice.project = r.string("project");
  if (slice.project.empty()) throw PayloadError("project", "must not be empty");
  slice.attempt = r.int32("attempt");
  if (slice.attempt < 1) throw PayloadError("attempt", "must be at least 1");
  slice.listing = r.string("listing");
  if (slice.listing.empty()) throw PayloadError("listing", "must not be empty");
  slice.seq = r.int64("seq");
  if (slice.seq < 0) throw PayloadError("seq", "must not be negative");
  slice.ids = r.strings("ids");
  if (slice.ids.empty()) throw PayloadError("ids", "a slice needs at least one issue id");
  if (slice.ids.size() > 100) {
    throw PayloadError("ids", "holds " + std::to_string(slice.ids.size()) +
                                  " ids; a slice is one bulkfetch chunk (at most 100)");
  }
  slice.moves_cursor = r.boolean("moves_cursor");
  return slice;
}

}  // namespace jirasync
