/* kac-central-server-materials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The routes of methodological materials, staff notices and attachments (issue 4):
 *   GET    /api/v1/materials?since=&limit=     everyone signed in
 *   POST   /api/v1/materials                   institution users: publish
 *   PUT    /api/v1/materials/{id}              institution users of its institution: new version
 *   DELETE /api/v1/materials/{id}              … withdraw (a tombstone in the feed)
 *   GET    /api/v1/notices?since=&limit=       clerks and managers: their centre's notices
 *   POST   /api/v1/notices, PUT/DELETE /api/v1/notices/{id}   institution users
 *   POST   /api/v1/attachments                 institution users: the raw bytes
 *   GET    /api/v1/attachments/{sha256}        everyone signed in; immutable, ETag = hash
 */
#define G_LOG_DOMAIN "kac-central-server"

#include "config.h"

#include "kac-central-server-private.h"
#include "kac-central-store-materials.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#define FEED_PAGE_DEFAULT 200
#define FEED_PAGE_MAX     1000

/* The kinds of file an institution may attach: documents a clerk's desktop opens. */
static const char * const attachment_types[] = {
  "application/pdf",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "image/png",
  "image/jpeg",
  "text/plain",
};

/* Routing */

/* "/api/v1/<collection>/<one segment>" → the segment (NULL otherwise). */
static char *
match_item (const char *path,
            const char *collection)
{
  g_autofree char *prefix = g_strconcat ("/api/v1/", collection, "/", NULL);
  const char *rest;

  if (!g_str_has_prefix (path, prefix))
    return NULL;

  rest = path + strlen (prefix);
  if (*rest == '\0' || strchr (rest, '/') != NULL)
    return NULL;

  return g_strdup (rest);
}

const char *
_kac_central_materials_route_of (const char *path)
{
  g_autofree char *item = NULL;

  if (g_str_equal (path, "/api/v1/materials"))
    return "/api/v1/materials";
  if (g_str_equal (path, "/api/v1/notices"))
    return "/api/v1/notices";
  if (g_str_equal (path, "/api/v1/attachments"))
    return "/api/v1/attachments";
  if ((item = match_item (path, "materials")) != NULL)
    return "/api/v1/materials/{id}";
  if ((item = match_item (path, "notices")) != NULL)
    return "/api/v1/notices/{id}";
  if ((item = match_item (path, "attachments")) != NULL)
    return "/api/v1/attachments/{sha256}";

  return NULL;
}

goffset
_kac_central_materials_body_limit (const char *route)
{
  if (g_str_equal (route, "/api/v1/attachments"))
    return KAC_WIRE_ATTACHMENT_MAX_BYTES;
  if (g_str_has_prefix (route, "/api/v1/materials") || g_str_has_prefix (route, "/api/v1/notices"))
    return KAC_WIRE_PUBLISH_MAX_BYTES;

  return 0;
}

/* Shared checks */

static gboolean
is_institution_user (KacCentralUser    *user,
                     SoupServerMessage *msg)
{
  if (user->role == KAC_CENTRAL_ROLE_INSTITUTION && user->institution != NULL)
    return TRUE;

  _kac_central_respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                                _("Only users of an institution can publish materials and notices."),
                                NULL);
  return FALSE;
}

static gboolean
parse_limit (SoupServerMessage *msg,
             GHashTable        *query,
             guint             *limit)
{
  const char *text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 value = FEED_PAGE_DEFAULT;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, FEED_PAGE_MAX, &value, NULL))
    {
      _kac_central_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-limit", FALSE,
                                    _("The page size must be a whole number from 1 to 1000."), NULL);
      return FALSE;
    }

  *limit = (guint) value;
  return TRUE;
}

static void
respond_store_error (SoupServerMessage *msg,
                     GError            *error)
{
  if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND))
    _kac_central_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE, error->message, NULL);
  else if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FORBIDDEN))
    _kac_central_respond_problem (msg, SOUP_STATUS_FORBIDDEN, "other-institution", FALSE,
                                  error->message, NULL);
  else if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID))
    _kac_central_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-request", FALSE,
                                  error->message, NULL);
  else
    _kac_central_respond_storage_failed (msg, error);
}

static gboolean
check_json (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") == 0)
    return TRUE;

  _kac_central_respond_problem (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                FALSE, _("The request must be sent as JSON (application/json)."), NULL);
  return FALSE;
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

/* Every service of a material must be in the catalogue and belong to the publisher's
 * institution: a clerk finds materials by service. */
static gboolean
check_services (KacCentralServer  *self,
                SoupServerMessage *msg,
                GStrv              services,
                const char        *institution)
{
  KacCatalog *catalog = _kac_central_server_get_catalog (self);

  for (guint i = 0; services[i] != NULL; i++)
    {
      KacService *service = kac_catalog_lookup (catalog, services[i]);

      if (service == NULL
          || g_ascii_strcasecmp (kac_service_get_institution_code (service), institution) != 0)
        {
          g_autoptr(KacWireProblem) problem = NULL;
          g_autoptr(GBytes) bytes = NULL;
          g_autofree char *title = g_strdup_printf (_("The service “%s” is not one of %s’s services "
                                                      "in the catalogue."),
                                                    services[i], institution);

          problem = kac_wire_problem_new (SOUP_STATUS_BAD_REQUEST, "unknown-service", title, NULL, FALSE);
          kac_wire_problem_add_error (problem, "services", title);
          bytes = kac_wire_encode_problem (problem);
          _kac_central_respond_bytes (msg, SOUP_STATUS_BAD_REQUEST, "application/problem+json", bytes);
          return FALSE;
        }
    }

  return TRUE;
}

/* Materials */

static void
handle_list_materials (KacCentralServer  *self,
                       SoupServerMessage *msg,
                       GHashTable        *query)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 since;
  guint limit;

  if (!(user = _kac_central_server_authenticate (self, msg))
      || !parse_limit (msg, query, &limit)
      || !_kac_central_parse_cursor (self, msg, query ? g_hash_table_lookup (query, "since") : NULL,
                                     &since))
    return;

  page = kac_central_store_list_materials (kac_central_server_get_store (self), since, limit, &error);
  if (page == NULL)
    {
      _kac_central_respond_storage_failed (msg, error);
      return;
    }

  _kac_central_respond_json (msg, SOUP_STATUS_OK, page);
}

static void
handle_publish_material (KacCentralServer  *self,
                         SoupServerMessage *msg,
                         const char        *id)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(KacWireMaterial) request = NULL;
  g_autoptr(KacWireMaterial) stored = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (!(user = _kac_central_server_authenticate (self, msg)) || !is_institution_user (user, msg)
      || !check_json (msg))
    return;

  body = request_body (msg);
  request = kac_wire_decode_material_request (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                              &error);
  if (request == NULL)
    {
      _kac_central_respond_decode_error (msg, error);
      return;
    }

  if (!check_services (self, msg, request->services, user->institution))
    return;

  stored = kac_central_store_publish_material (kac_central_server_get_store (self), id, request,
                                               user->institution, user->id, user->username, now,
                                               &error);
  if (stored == NULL)
    {
      respond_store_error (msg, error);
      return;
    }

  answer = kac_wire_encode_material (stored);
  _kac_central_respond_json (msg, id == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, answer);
}

static void
handle_withdraw (KacCentralServer  *self,
                 SoupServerMessage *msg,
                 const char        *id,
                 gboolean           material)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KacCentralStore *store = kac_central_server_get_store (self);
  gboolean ok;

  if (!(user = _kac_central_server_authenticate (self, msg)) || !is_institution_user (user, msg))
    return;

  ok = material ? kac_central_store_withdraw_material (store, id, user->institution, user->id,
                                                       user->username, now, &error)
                : kac_central_store_withdraw_notice (store, id, user->institution, user->id,
                                                     user->username, now, &error);
  if (!ok)
    {
      respond_store_error (msg, error);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Notices */

static void
handle_list_notices (KacCentralServer  *self,
                     SoupServerMessage *msg,
                     GHashTable        *query)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 since;
  guint limit;

  if (!(user = _kac_central_server_authenticate (self, msg)))
    return;

  if (user->centre_id == NULL)
    {
      _kac_central_respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                                    _("Only clerks and managers of a centre can read its notices."),
                                    NULL);
      return;
    }

  if (!parse_limit (msg, query, &limit)
      || !_kac_central_parse_cursor (self, msg, query ? g_hash_table_lookup (query, "since") : NULL,
                                     &since))
    return;

  page = kac_central_store_list_notices (kac_central_server_get_store (self), user->centre_id,
                                         since, limit, &error);
  if (page == NULL)
    {
      _kac_central_respond_storage_failed (msg, error);
      return;
    }

  _kac_central_respond_json (msg, SOUP_STATUS_OK, page);
}

static void
handle_publish_notice (KacCentralServer  *self,
                       SoupServerMessage *msg,
                       const char        *id)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(KacWireNotice) request = NULL;
  g_autoptr(KacWireNotice) stored = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (!(user = _kac_central_server_authenticate (self, msg)) || !is_institution_user (user, msg)
      || !check_json (msg))
    return;

  body = request_body (msg);
  request = kac_wire_decode_notice_request (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                            &error);
  if (request == NULL)
    {
      _kac_central_respond_decode_error (msg, error);
      return;
    }

  stored = kac_central_store_publish_notice (kac_central_server_get_store (self), id, request,
                                             user->institution, user->id, user->username, now,
                                             &error);
  if (stored == NULL)
    {
      respond_store_error (msg, error);
      return;
    }

  answer = kac_wire_encode_notice (stored);
  _kac_central_respond_json (msg, id == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, answer);
}

/* Attachments */

static gboolean
attachment_type_allowed (const char *type)
{
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (attachment_types); i++)
    if (g_ascii_strcasecmp (type, attachment_types[i]) == 0)
      return TRUE;

  return FALSE;
}

static void
handle_upload_attachment (KacCentralServer  *self,
                          SoupServerMessage *msg)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *sha256 = NULL;
  const char *type;
  gsize length;
  const char *data;

  if (!(user = _kac_central_server_authenticate (self, msg)) || !is_institution_user (user, msg))
    return;

  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (!attachment_type_allowed (type))
    {
      _kac_central_respond_problem (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                    FALSE,
                                    _("Attach a PDF, an OpenDocument or Word text, a PNG or JPEG "
                                      "picture or a plain text file."),
                                    NULL);
      return;
    }

  body = request_body (msg);
  data = g_bytes_get_data (body, &length);
  /* A PDF must look like one: the desk opens it with the system's viewer. */
  if (g_ascii_strcasecmp (type, "application/pdf") == 0
      && (length < 5 || memcmp (data, "%PDF-", 5) != 0))
    {
      _kac_central_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-attachment", FALSE,
                                    _("The file is not a PDF document."), NULL);
      return;
    }

  sha256 = kac_central_store_put_attachment (kac_central_server_get_store (self), body, type,
                                             user->id, now, &error);
  if (sha256 == NULL)
    {
      respond_store_error (msg, error);
      return;
    }

  answer = kac_wire_encode_attachment_info (sha256, (gint64) length, type);
  _kac_central_respond_json (msg, SOUP_STATUS_CREATED, answer);
}

static void
handle_get_attachment (KacCentralServer  *self,
                       SoupServerMessage *msg,
                       const char        *sha256)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (!(user = _kac_central_server_authenticate (self, msg)))
    return;

  if (!kac_wire_sha256_is_valid (sha256))
    {
      _kac_central_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE,
                                    _("There is no such attachment."), NULL);
      return;
    }

  etag = g_strdup_printf ("\"%s\"", sha256);
  if (_kac_central_etag_matches (soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                                "If-None-Match"),
                                 etag))
    {
      soup_message_headers_replace (headers, "ETag", etag);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  bytes = kac_central_store_get_attachment (kac_central_server_get_store (self), sha256,
                                            &content_type, &error);
  if (bytes == NULL)
    {
      if (error != NULL)
        _kac_central_respond_storage_failed (msg, error);
      else
        _kac_central_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE,
                                      _("There is no such attachment."), NULL);
      return;
    }

  /* Named by its content: it can never change. */
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "private, max-age=31536000, immutable");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  _kac_central_respond_bytes (msg, SOUP_STATUS_OK, content_type, bytes);
}

/* Dispatch */

static gboolean
is_method (SoupServerMessage *msg,
           const char        *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

gboolean
_kac_central_materials_dispatch (KacCentralServer  *self,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query)
{
  g_autofree char *item = NULL;

  if (g_str_equal (path, "/api/v1/materials"))
    {
      if (is_method (msg, "GET"))
        handle_list_materials (self, msg, query);
      else if (is_method (msg, "POST"))
        handle_publish_material (self, msg, NULL);
      else
        _kac_central_respond_method_not_allowed (msg, "GET, POST");
    }
  else if (g_str_equal (path, "/api/v1/notices"))
    {
      if (is_method (msg, "GET"))
        handle_list_notices (self, msg, query);
      else if (is_method (msg, "POST"))
        handle_publish_notice (self, msg, NULL);
      else
        _kac_central_respond_method_not_allowed (msg, "GET, POST");
    }
  else if (g_str_equal (path, "/api/v1/attachments"))
    {
      if (is_method (msg, "POST"))
        handle_upload_attachment (self, msg);
      else
        _kac_central_respond_method_not_allowed (msg, "POST");
    }
  else if ((item = match_item (path, "materials")) != NULL
           || (item = match_item (path, "notices")) != NULL)
    {
      gboolean material = g_str_has_prefix (path, "/api/v1/materials/");

      if (!g_uuid_string_is_valid (item))
        _kac_central_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE,
                                      _("There is no such item, or it was withdrawn."), NULL);
      else if (is_method (msg, "PUT"))
        {
          if (material)
            handle_publish_material (self, msg, item);
          else
            handle_publish_notice (self, msg, item);
        }
      else if (is_method (msg, "DELETE"))
        handle_withdraw (self, msg, item, material);
      else
        _kac_central_respond_method_not_allowed (msg, "PUT, DELETE");
    }
  else if ((item = match_item (path, "attachments")) != NULL)
    {
      if (is_method (msg, "GET"))
        handle_get_attachment (self, msg, item);
      else
        _kac_central_respond_method_not_allowed (msg, "GET");
    }
  else
    return FALSE;

  return TRUE;
}
