#pragma once

#include "api/apierror.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <utility>

namespace md::server {

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // extra headers

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QJsonArray &array);
    static HttpResponse noContent(); // 204
    static HttpResponse text(int status, QByteArray body, QByteArray contentType);
    static HttpResponse error(const api::ApiError &error);
    HttpResponse &withHeader(QByteArray name, QByteArray value);
};

/// Standard reason phrase of an HTTP status ("Not Found").
QByteArray reasonPhrase(int status);

} // namespace md::server
