#include "tests/jirasim/jql/field_catalog.hpp"

#include <utility>

#include "tests/jirasim/jql/ascii.hpp"

namespace jirasim::jql {
namespace {

constexpr unsigned bit(ClauseOperator op) {
  return 1u << static_cast<unsigned>(op);
}

constexpr unsigned kEquality = bit(ClauseOperator::Equals) | bit(ClauseOperator::NotEquals) |
                               bit(ClauseOperator::In) | bit(ClauseOperator::NotIn);
constexpr unsigned kEmptiness = bit(ClauseOperator::Is) | bit(ClauseOperator::IsNot);
constexpr unsigned kOrdering = bit(ClauseOperator::Greater) | bit(ClauseOperator::GreaterOrEqual) |
                               bit(ClauseOperator::Less) | bit(ClauseOperator::LessOrEqual);
constexpr unsigned kText = bit(ClauseOperator::Contains) | bit(ClauseOperator::NotContains);

// Operators per field follow Jira Cloud's field reference.
constexpr std::pair<std::string_view, FieldInfo> kFields[] = {
    {"project", {FieldId::Project, "project", kEquality | kEmptiness, true}},
    {"key", {FieldId::IssueKey, "key", kEquality | kOrdering, true}},
    {"issuekey", {FieldId::IssueKey, "key", kEquality | kOrdering, true}},
    {"id", {FieldId::IssueKey, "id", kEquality | kOrdering, true}},
    {"issuetype", {FieldId::IssueType, "issuetype", kEquality | kEmptiness, true}},
    {"type", {FieldId::IssueType, "issuetype", kEquality | kEmptiness, true}},
    {"status", {FieldId::Status, "status", kEquality, true}},
    {"statuscategory", {FieldId::StatusCategory, "statusCategory", kEquality, false}},
    {"priority", {FieldId::Priority, "priority", kEquality | kEmptiness | kOrdering, true}},
    {"assignee", {FieldId::Assignee, "assignee", kEquality | kEmptiness, false}},
    {"reporter", {FieldId::Reporter, "reporter", kEquality | kEmptiness, false}},
    {"labels", {FieldId::Labels, "labels", kEquality | kEmptiness, false}},
    {"component", {FieldId::Component, "component", kEquality | kEmptiness, false}},
    {"fixversion", {FieldId::FixVersion, "fixVersion", kEquality | kEmptiness, false}},
    {"parent", {FieldId::Parent, "parent", kEquality, false}},
    {"summary", {FieldId::Summary, "summary", kText | kEmptiness, true}},
    {"description", {FieldId::Description, "description", kText | kEmptiness, false}},
    {"text", {FieldId::Text, "text", bit(ClauseOperator::Contains), false}},
    {"created", {FieldId::Created, "created", kEquality | kEmptiness | kOrdering, true}},
    {"createddate", {FieldId::Created, "created", kEquality | kEmptiness | kOrdering, true}},
    {"updated", {FieldId::Updated, "updated", kEquality | kEmptiness | kOrdering, true}},
    {"updateddate", {FieldId::Updated, "updated", kEquality | kEmptiness | kOrdering, true}},
    {"resolution", {FieldId::Resolution, "resolution", kEquality | kEmptiness, false}},
    {"resolutiondate",
     {FieldId::ResolutionDate, "resolutiondate", kEquality | kEmptiness | kOrdering, true}},
    {"resolved",
     {FieldId::ResolutionDate, "resolutiondate", kEquality | kEmptiness | kOrdering, true}},
};

}  // namespace

const unsigned kCustomOperators = kEquality | kEmptiness | kOrdering | kText;

std::optional<FieldInfo> find_field(std::string_view name) {
  for (const auto& [alias, info] : kFields) {
    if (equals_lower(name, alias)) return info;
  }
  return std::nullopt;
}

bool supports(const FieldInfo& field, ClauseOperator op) {
  return (field.operators & bit(op)) != 0;
}

}  // namespace jirasim::jql
