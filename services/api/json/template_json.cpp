#include "services/api/json/template_json.hpp"

namespace jirasync {

void write_query_template(JsonWriter& w, const QueryTemplate& t) {
  w.StartObject();
  write_string(w, "name", t.name);
  write_string(w, "description", t.description);
  w.Key("params");
  w.StartArray();
  for (const TemplateParam& p : t.params()) {
    w.StartObject();
    write_string(w, "name", p.name);
    write_string(w, "kind", to_string(p.kind));
    write_optional_string(
        w, "default", p.fallback.empty() ? std::nullopt : std::optional<std::string>(p.fallback));
    w.EndObject();
  }
  w.EndArray();
  write_string(w, "jql", t.jql);
  write_bool(w, "builtin", t.builtin);
  w.EndObject();
}

}  // namespace jirasync
