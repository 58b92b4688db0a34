#include <stdexcept>

#include "common/store/change_feed.hpp"

namespace jirasync {

const char* to_string(ChangeBadge badge) {
  switch (badge) {
    case ChangeBadge::kNew:
      return "new";
    case ChangeBadge::kUpdated:
      return "updated";
    case ChangeBadge::kSignificant:
      return "significant";
    case ChangeBadge::kDeleted:
      return "deleted";
    case ChangeBadge::kMoved:
      return "moved";
    case ChangeBadge::kConflict:
      return "conflict";
    case ChangeBadge::kOutOfScope:
      return "out_of_scope";
  }
  return "?";
}

ChangeBadge parse_change_badge(const std::string& text) {
  for (ChangeBadge b :
       {ChangeBadge::kNew, ChangeBadge::kUpdated, ChangeBadge::kSignificant, ChangeBadge::kDeleted,
        ChangeBadge::kMoved, ChangeBadge::kConflict, ChangeBadge::kOutOfScope}) {
    if (text == to_string(b)) return b;
  }
  throw std::invalid_argument("kind '" + text.substr(0, 40) +
                              "' is not one of new, updated, significant, deleted, moved, "
                              "conflict, out_of_scope");
}

std::optional<ChangeBadge> badge_of(const std::vector<ChangeEvent>& events, bool deleted_now) {
  if (events.empty()) return std::nullopt;
  bool inserted = false, moved = false, conflict = false, significant = false, deleted = false;
  const ChangeEvent* scope = nullptr;  // the latest out_of_scope / in_scope
  for (const ChangeEvent& e : events) {
    if ((e.change == "out_of_scope" || e.change == "in_scope") &&
        (!scope || e.at_ms >= scope->at_ms))
      scope = &e;
    inserted |= e.change == "inserted";
    moved |= e.change == "moved";
    conflict |= e.change == "conflict";
    significant |= e.change == "significant";
    deleted |= e.change == "deleted";
  }
  if (deleted && deleted_now) return ChangeBadge::kDeleted;
  if (scope && scope->change == "out_of_scope") return ChangeBadge::kOutOfScope;
  if (inserted) return ChangeBadge::kNew;
  if (moved) return ChangeBadge::kMoved;
  if (conflict) return ChangeBadge::kConflict;
  if (significant) return ChangeBadge::kSignificant;
  return ChangeBadge::kUpdated;
}

}  // namespace jirasync
