// admin_routes: the admin endpoint's pages, one function per path, from a
// parsed request to a complete response. Private to the admin component;
// no I/O here (admin_server.cpp does that).
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/params_view.hpp>

#include "chatbus/admin_view.hpp"

namespace chatbus::admin_detail {

using Request = boost::beast::http::request<boost::beast::http::empty_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

/// Answers one request: /healthz, /readyz, /metrics, /v1/stats, or an error.
Response route(const Request& request, const AdminView& view);

/// The /v1/stats body for the given (decoded) query parameters.
/// Returns "" and sets `problem` when a parameter is invalid.
std::string render_stats(const AdminView& view, const boost::urls::params_view& query, std::string& problem);

}  // namespace chatbus::admin_detail
