#pragma once

// Test double for the LocalTicketData seam: a user's edits, notes, tags, links
// and conflicts held in memory, checked by the same rules as the SQL store
// (local_ticket_rules.hpp) and refusing ticket ids it was not given.

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/store/local_ticket_data.hpp"
#include "common/store/local_ticket_rules.hpp"

namespace jirasync::fakes {

class FakeLocalTicketData final : public LocalTicketData {
 public:
  std::map<std::string, TicketSummary> tickets;                   // the cache's tickets, by id
  std::map<std::string, std::map<std::string, LocalEdit>> edits;  // by id, then field
  std::vector<Note> notes_added;
  std::map<std::string, std::set<std::string>> tags_by_ticket;
  std::vector<TicketLink> all_links;
  std::vector<Conflict> all_conflicts;  // ids are theirs to give
  std::vector<TicketChange> history;    // what resolving wrote into ticket histories

  void put_local_edit(const LocalEdit& edit) override {
    if (edit.field.empty()) throw std::invalid_argument("field: must not be empty");
    require_ticket(edit.ticket_id);
    edits[edit.ticket_id][edit.field] = edit;
  }
  bool remove_local_edit(const std::string& ticket_id, const std::string& field) override {
    require_ticket(ticket_id);
    return edits[ticket_id].erase(field) > 0;
  }
  std::vector<LocalEdit> local_edits_of(const std::string& ticket_id) override {
    std::vector<LocalEdit> out;
    for (const auto& [field, edit] : edits[ticket_id]) out.push_back(edit);
    return out;
  }
  void add_note(const std::string& ticket_id, const std::string& text, int64_t now_ms) override {
    if (text.empty()) throw std::invalid_argument("text: a note must not be empty");
    require_ticket(ticket_id);
    notes_added.push_back(Note{ticket_id, text, now_ms});
  }
  std::vector<Note> notes(const std::string& ticket_id) override {
    std::vector<Note> out;
    for (const Note& n : notes_added) {
      if (n.ticket_id == ticket_id) out.push_back(n);
    }
    return out;
  }

  std::vector<std::string> add_tags(const std::string& ticket_id,
                                    const std::vector<std::string>& tags, int64_t) override {
    const std::vector<std::string> wanted = validated_tags(tags);
    require_ticket(ticket_id);
    std::vector<std::string> added;
    for (const std::string& tag : wanted) {
      if (tags_by_ticket[ticket_id].insert(tag).second) added.push_back(tag);
    }
    return added;
  }
  std::vector<std::string> remove_tags(const std::string& ticket_id,
                                       const std::vector<std::string>& tags) override {
    const std::vector<std::string> wanted = validated_tags(tags);
    require_ticket(ticket_id);
    std::vector<std::string> removed;
    for (const std::string& tag : wanted) {
      if (tags_by_ticket[ticket_id].erase(tag) > 0) removed.push_back(tag);
    }
    return removed;
  }
  std::vector<std::string> tags(const std::string& ticket_id) override {
    auto it = tags_by_ticket.find(ticket_id);
    if (it == tags_by_ticket.end()) return {};
    return {it->second.begin(), it->second.end()};
  }
  bool add_link(const std::string& ticket_id, const LinkTarget& target, int64_t now_ms) override {
    validate_link_target(target);
    require_ticket(ticket_id);
    if (find_link(ticket_id, target) != all_links.end()) return false;
    all_links.push_back(TicketLink{ticket_id, target, now_ms});
    return true;
  }
  bool remove_link(const std::string& ticket_id, const LinkTarget& target) override {
    validate_link_target(target);
    require_ticket(ticket_id);
    auto it = find_link(ticket_id, target);
    if (it == all_links.end()) return false;
    all_links.erase(it);
    return true;
  }
  std::vector<TicketLink> links(const std::string& ticket_id) override {
    std::vector<TicketLink> out;
    for (const TicketLink& l : all_links) {
      if (l.ticket_id == ticket_id) out.push_back(l);
    }
    std::sort(out.begin(), out.end(), [](const TicketLink& a, const TicketLink& b) {
      return std::tie(a.target.type, a.target.id) < std::tie(b.target.type, b.target.id);
    });
    return out;
  }
  std::vector<TicketSummary> linked_tickets(const LinkTarget& target) override {
    validate_link_target(target);
    std::vector<TicketSummary> out;
    for (const TicketLink& l : all_links) {
      if (!(l.target == target)) continue;
      if (auto t = tickets.find(l.ticket_id); t != tickets.end()) out.push_back(t->second);
    }
    std::sort(out.begin(), out.end(),
              [](const TicketSummary& a, const TicketSummary& b) { return a.key < b.key; });
    return out;
  }

  std::vector<Conflict> conflicts(const std::string& ticket_id, bool open_only) override {
    std::vector<Conflict> out;
    for (const Conflict& c : all_conflicts) {
      if ((ticket_id.empty() || c.ticket_id == ticket_id) && (!open_only || c.open)) {
        out.push_back(c);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const Conflict& a, const Conflict& b) { return a.id < b.id; });
    return out;
  }
  void resolve_conflict(int64_t conflict_id, const std::string& take, int64_t now_ms) override {
    validate_conflict_take(take);
    auto c = std::find_if(all_conflicts.begin(), all_conflicts.end(),
                          [&](const Conflict& x) { return x.id == conflict_id; });
    if (c == all_conflicts.end()) {
      throw std::invalid_argument("conflict_id: no conflict " + std::to_string(conflict_id));
    }
    if (!c->open) {
      throw std::invalid_argument("conflict_id: conflict " + std::to_string(conflict_id) +
                                  " is already closed (" + c->outcome + ")");
    }
    if (take == "jira") edits[c->ticket_id].erase(c->field);
    c->open = false;
    c->outcome = "resolved-" + take;
    const bool still_open = std::any_of(all_conflicts.begin(), all_conflicts.end(), [&](auto& x) {
      return x.ticket_id == c->ticket_id && x.open;
    });
    if (auto t = tickets.find(c->ticket_id); t != tickets.end()) {
      t->second.sync_status = still_open ? "conflict" : "synced";
    }
    history.push_back(TicketChange{c->ticket_id, "", "conflict",
                                   "{\"field\":\"" + c->field + "\",\"strategy\":\"" + c->strategy +
                                       "\",\"outcome\":\"" + c->outcome + "\"}",
                                   now_ms});
  }

 private:
  void require_ticket(const std::string& ticket_id) const {
    if (ticket_id.empty()) throw std::invalid_argument("ticket_id: must not be empty");
    if (!tickets.count(ticket_id)) {
      throw std::invalid_argument("ticket_id: no ticket with id '" + ticket_id + "' in the cache");
    }
  }
  std::vector<TicketLink>::iterator find_link(const std::string& ticket_id,
                                              const LinkTarget& target) {
    return std::find_if(all_links.begin(), all_links.end(), [&](const TicketLink& l) {
      return l.ticket_id == ticket_id && l.target == target;
    });
  }
};

}  // namespace jirasync::fakes
