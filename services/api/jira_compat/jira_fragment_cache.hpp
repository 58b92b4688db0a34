#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/json/json_writer.hpp"

namespace jirasync {

// The JSON of the objects a page of issues repeats (a user, a status, an
// issue type, a priority, a project: a few dozen distinct ones over 100
// issues), rendered once per response instead of once per mention. They
// depend only on what names them and on the render context, which is one
// per response.
class JiraFragmentCache {
 public:
  // The JSON `render(writer)` writes for (kind, a, b), rendered the first
  // time it is asked for; the view stays valid for the cache's life.
  template <typename Render>
  std::string_view get(char kind, std::string_view a, std::string_view b, Render&& render) {
    lookup_.clear();
    lookup_ += kind;
    const auto size = static_cast<uint32_t>(a.size());  // a's length keeps (a, b) unambiguous
    lookup_.append(reinterpret_cast<const char*>(&size), sizeof size);
    lookup_ += a;
    lookup_ += b;
    auto it = rendered_.find(lookup_);
    if (it == rendered_.end()) {
      rapidjson::StringBuffer buffer;
      JsonWriter w(buffer);
      render(w);
      it = rendered_.emplace(lookup_, std::string(buffer.GetString(), buffer.GetSize())).first;
    }
    return it->second;
  }

 private:
  std::string lookup_;  // reused: a hit allocates nothing
  std::unordered_map<std::string, std::string> rendered_;
};

}  // namespace jirasync
