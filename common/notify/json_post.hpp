#pragma once

#include <map>
#include <string>

namespace jirasync {

// POSTs a JSON body to `url` (https, or http to loopback) on a connection of
// its own; any status other than 2xx, or no answer within `timeout_ms`,
// throws DeliveryError naming `sink` and the status or transport failure
// (never the URL: a Slack URL is a credential).
void post_json(const std::string& sink, const std::string& url, const std::string& body,
               const std::map<std::string, std::string>& headers, int timeout_ms);

}  // namespace jirasync
