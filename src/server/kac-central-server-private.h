/* kac-central-server-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the route files that extend KacCentralServer by concern (kac-central-server-materials.c)
 * share with kac-central-server.c: authentication, problem answers and cursors, so every
 * route answers the same way.
 */
#pragma once

#include <libsoup/soup.h>

#include "kac-central-server.h"

G_BEGIN_DECLS

/* The signed-in user, or NULL after answering 401 (or 503) itself. */
KacCentralUser *_kac_central_server_authenticate        (KacCentralServer  *self,
                                                         SoupServerMessage *msg);
KacCatalog     *_kac_central_server_get_catalog         (KacCentralServer  *self);
void            _kac_central_respond_problem            (SoupServerMessage *msg,
                                                         guint              status,
                                                         const char        *code,
                                                         gboolean           retryable,
                                                         const char        *title,
                                                         const char        *detail);
void            _kac_central_respond_storage_failed     (SoupServerMessage *msg,
                                                         GError            *error);
void            _kac_central_respond_json               (SoupServerMessage *msg,
                                                         guint              status,
                                                         GBytes            *bytes);
void            _kac_central_respond_bytes              (SoupServerMessage *msg,
                                                         guint              status,
                                                         const char        *content_type,
                                                         GBytes            *bytes);
void            _kac_central_respond_method_not_allowed (SoupServerMessage *msg,
                                                         const char        *allow);
void            _kac_central_respond_decode_error       (SoupServerMessage *msg,
                                                         GError            *error);
/* "epoch.seq" → seq; answers 400 or 410 itself and returns FALSE. */
gboolean        _kac_central_parse_cursor               (KacCentralServer  *self,
                                                         SoupServerMessage *msg,
                                                         const char        *cursor,
                                                         gint64            *since);
gboolean        _kac_central_etag_matches               (const char        *if_none_match,
                                                         const char        *etag);

/* kac-central-server-materials.c: the route template of @path, or NULL when it is not one
 * of the materials, notices or attachments routes. */
const char     *_kac_central_materials_route_of         (const char        *path);
/* The request body limit of @route, or 0 when it is not one of these routes. */
goffset         _kac_central_materials_body_limit       (const char        *route);
/* Handles the request when @path is one of these routes; FALSE otherwise. */
gboolean        _kac_central_materials_dispatch         (KacCentralServer  *self,
                                                         SoupServerMessage *msg,
                                                         const char        *path,
                                                         GHashTable        *query);

G_END_DECLS
