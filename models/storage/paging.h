#pragma once

#include <QList>

namespace md::storage {

/// limit/offset of API.md (default 50, max 500); validated by the API layer.
struct PageRequest
{
    int limit = 50;
    int offset = 0;
};

template <typename T> struct Page
{
    QList<T> items;
    qint64 total = 0;
};

} // namespace md::storage
