#include "admin_routes.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>

#include "chatbus/broker.hpp"
#include "chatbus/metrics_exposition.hpp"

namespace chatbus::admin_detail {
namespace http = boost::beast::http;
namespace {

Response text_response(const Request& request, http::status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8") {
  Response response{status, request.version()};
  response.set(http::field::server, "chatbusd");
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

Response route(const Request& request, const AdminView& view) {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    Response response = text_response(request, http::status::method_not_allowed, "only GET and HEAD\n");
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  const auto url = boost::urls::parse_origin_form(request.target());
  if (!url) return text_response(request, http::status::bad_request, "malformed request target\n");
  const std::string path = url->path();
  if (path == "/healthz") return text_response(request, http::status::ok, "ok\n");
  if (path == "/readyz") {
    return view.broker().ready() ? text_response(request, http::status::ok, "ready\n")
                                 : text_response(request, http::status::service_unavailable, "shutting down\n");
  }
  if (path == "/metrics") {
    return text_response(request, http::status::ok, render_prometheus(view.metrics()), prometheus_content_type);
  }
  if (path == "/v1/stats") {
    std::string problem;
    std::string body = render_stats(view, url->params(), problem);
    if (!problem.empty()) return text_response(request, http::status::bad_request, problem + "\n");
    return text_response(request, http::status::ok, std::move(body), "application/json");
  }
  return text_response(request, http::status::not_found,
                       "not found; try /healthz, /readyz, /metrics or /v1/stats\n");
}

}  // namespace chatbus::admin_detail
