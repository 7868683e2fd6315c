/* test-materials-central.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's materials, notices and attachments over real HTTPS on loopback: publishing,
 * versions, incremental feeds by cursor with tombstones, who may do what, and attachments by
 * content hash with their ETag. With KAC_CENTRAL_RESPONSES_DIR set, every JSON answer (and
 * every publish request the server accepted) is also written there for
 * tests/test-central-openapi.sh, which checks each against data/openapi.yaml.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "kac-central-store-materials.h"
#include "kac-test-central.h"
#include "kac-wire.h"

typedef struct
{
  KacTestCentral *central;
  SoupSession    *session;
  char           *clerk;        /* anna, riga-1 */
  char           *other_clerk;  /* of cesis */
  char           *vsaa;         /* institution user of VSAA */
  char           *vid;          /* institution user of VID */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  fixture->central = kac_test_central_new ();
  database = g_tls_file_database_new (fixture->central->ca_file, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);

  kac_central_store_add_user (fixture->central->store, "berzina", NULL, "x", KAC_CENTRAL_ROLE_CLERK,
                              KAC_TEST_OTHER_CENTRE, NULL, &error);
  g_assert_no_error (error);
  kac_central_store_add_user (fixture->central->store, "vid", NULL, "x", KAC_CENTRAL_ROLE_INSTITUTION,
                              NULL, "VID", &error);
  g_assert_no_error (error);

  fixture->clerk = kac_test_central_issue_token (fixture->central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  fixture->other_clerk = kac_test_central_issue_token (fixture->central, "berzina", G_TIME_SPAN_HOUR);
  fixture->vsaa = kac_test_central_issue_token (fixture->central, KAC_TEST_INSTITUTION, G_TIME_SPAN_HOUR);
  fixture->vid = kac_test_central_issue_token (fixture->central, "vid", G_TIME_SPAN_HOUR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->clerk);
  g_free (fixture->other_clerk);
  g_free (fixture->vsaa);
  g_free (fixture->vid);
  g_clear_object (&fixture->session);
  kac_test_central_free (fixture->central);
}

/* Answers */

/* Writes @body to $KAC_CENTRAL_RESPONSES_DIR as "<Schema>-<n>.json"; the process id in n keeps
 * the names apart from other test programs writing to the same folder. */
static void
dump_document (const char *schema,
               GBytes     *body)
{
  static guint counter;
  const char *dir = g_getenv ("KAC_CENTRAL_RESPONSES_DIR");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL || schema == NULL || body == NULL || g_bytes_get_size (body) == 0)
    return;

  name = g_strdup_printf ("%s-%u%04u.json", schema, (guint) getpid (), ++counter);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
}

/* The schema of data/openapi.yaml that the answer to @method @path with @status must match;
 * NULL for answers that are not JSON (an attachment's bytes, 204, 304). */
static const char *
answer_schema (const char  *method,
               const char  *path,
               SoupMessage *msg)
{
  guint status = soup_message_get_status (msg);
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  if (status >= 400)
    {
      /* Every error is problem+json. */
      g_assert_cmpstr (type, ==, "application/problem+json");
      return "Problem";
    }
  if (status == 204 || status == 304 || g_str_has_prefix (path, "api/v1/attachments/"))
    return NULL;

  g_assert_cmpstr (type, ==, "application/json");
  if (g_str_has_prefix (path, "api/v1/attachments"))
    return "AttachmentInfo";
  if (g_str_has_prefix (path, "api/v1/materials"))
    return g_str_equal (method, "GET") ? "MaterialsPage" : "Material";
  if (g_str_has_prefix (path, "api/v1/notices"))
    return g_str_equal (method, "GET") ? "NoticesPage" : "Notice";

  g_assert_not_reached ();
}

/* HTTP */

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(GBytes **) data != NULL;
}

/* Sends a request and runs the main loop (where the server lives) until the answer. */
static guint
request (Fixture      *fixture,
         const char   *method,
         const char   *path,
         const char   *token,
         const char   *content_type,
         GBytes       *body,
         const char   *if_none_match,
         GBytes      **response,
         SoupMessage **out_msg)
{
  g_autofree char *url = g_strconcat (fixture->central->uri, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GBytes *answer = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", if_none_match);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &answer);
  g_assert_true (kac_test_wait_until (is_set, &answer, 10000));

  dump_document (answer_schema (method, path, msg), answer);
  if (body != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg))
      && g_strcmp0 (content_type, "application/json") == 0)
    dump_document (g_str_has_prefix (path, "api/v1/materials") ? "MaterialRequest" : "NoticeRequest", body);

  if (out_msg != NULL)
    *out_msg = g_object_ref (msg);
  if (response != NULL)
    *response = answer;
  else
    g_bytes_unref (answer);

  return soup_message_get_status (msg);
}

static GBytes *
string_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static KacWireMaterial *
publish_material (Fixture    *fixture,
                  const char *id,
                  const char *title,
                  const char *body,
                  const char *sha256)
{
  g_autoptr(KacWireMaterial) request_material = kac_wire_material_new ();
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = id ? g_strconcat ("api/v1/materials/", id, NULL) : g_strdup ("api/v1/materials");
  const char *services[] = { "VSAA-01", NULL };
  guint status;
  KacWireMaterial *material;

  request_material->title = g_strdup (title);
  request_material->body = g_strdup (body);
  request_material->services = g_strdupv ((GStrv) services);
  if (sha256 != NULL)
    g_ptr_array_add (request_material->attachments, kac_wire_attachment_new (sha256, "rules.pdf", NULL, 0));
  document = kac_wire_encode_material_request (request_material);

  status = request (fixture, id ? "PUT" : "POST", path, fixture->vsaa, "application/json", document,
                    NULL, &answer, NULL);
  g_assert_cmpuint (status, ==, id ? 200 : 201);
  material = kac_wire_decode_material (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  return material;
}

static KacWireFeedPage *
pull (Fixture    *fixture,
      const char *what,
      const char *token,
      const char *cursor)
{
  g_autofree char *escaped = g_uri_escape_string (cursor ? cursor : "", NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("api/v1/%s?since=%s", what, escaped);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  KacWireFeedPage *page;

  g_assert_cmpuint (request (fixture, "GET", path, token, NULL, NULL, NULL, &answer, NULL), ==, 200);
  if (g_str_equal (what, "materials"))
    page = kac_wire_decode_materials_page (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  else
    page = kac_wire_decode_notices_page (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  return page;
}

/* Tests */

static void
test_materials_feed (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.4\n% test material\n%%EOF\n";
  g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(KacWireMaterial) first = NULL;
  g_autoptr(KacWireMaterial) second = NULL;
  g_autoptr(KacWireMaterial) other = NULL;
  g_autoptr(KacWireFeedPage) page = NULL;
  g_autoptr(KacWireFeedPage) again = NULL;
  g_autoptr(KacWireFeedPage) tomb = NULL;
  g_autoptr(KacWireFeedPage) empty = NULL;
  g_autofree char *sha256 = kac_wire_sha256_of_bytes (pdf_bytes);
  g_autofree char *attachment_path = g_strconcat ("api/v1/attachments/", sha256, NULL);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sha256);
  g_autofree char *delete_path = NULL;
  KacWireMaterial *item;

  /* A material naming an attachment not uploaded is refused. */
  {
    g_autoptr(KacWireMaterial) request_material = kac_wire_material_new ();
    g_autoptr(GBytes) document = NULL;
    const char *services[] = { "VSAA-01", NULL };

    request_material->title = g_strdup ("Bērna kopšanas pabalsts");
    request_material->body = g_strdup ("text");
    request_material->services = g_strdupv ((GStrv) services);
    g_ptr_array_add (request_material->attachments, kac_wire_attachment_new (sha256, "rules.pdf", NULL, 0));
    document = kac_wire_encode_material_request (request_material);
    g_assert_cmpuint (request (fixture, "POST", "api/v1/materials", fixture->vsaa, "application/json",
                               document, NULL, NULL, NULL), ==, 400);
  }

  /* Upload: only institution users; a "PDF" that is not one is refused. */
  g_assert_cmpuint (request (fixture, "POST", "api/v1/attachments", fixture->clerk, "application/pdf",
                             pdf_bytes, NULL, NULL, NULL), ==, 403);
  {
    g_autoptr(GBytes) fake = string_bytes ("<html>not a pdf</html>");

    g_assert_cmpuint (request (fixture, "POST", "api/v1/attachments", fixture->vsaa, "application/pdf",
                               fake, NULL, NULL, NULL), ==, 400);
    g_assert_cmpuint (request (fixture, "POST", "api/v1/attachments", fixture->vsaa,
                               "application/x-msdownload", fake, NULL, NULL, NULL), ==, 415);
  }
  g_assert_cmpuint (request (fixture, "POST", "api/v1/attachments", fixture->vsaa, "application/pdf",
                             pdf_bytes, NULL, &answer, NULL), ==, 201);
  g_assert_nonnull (strstr (g_bytes_get_data (answer, NULL), sha256));

  first = publish_material (fixture, NULL, "Bērna kopšanas pabalsts", "# Kā pieteikt\n\nIesniegums.", sha256);
  g_assert_cmpint (first->version, ==, 1);
  g_assert_cmpstr (first->institution, ==, "VSAA");
  g_assert_cmpuint (first->attachments->len, ==, 1);
  g_assert_cmpint (((KacWireAttachment *) first->attachments->pdata[0])->size, ==, sizeof pdf - 1);
  g_assert_cmpstr (((KacWireAttachment *) first->attachments->pdata[0])->content_type, ==, "application/pdf");
  other = publish_material (fixture, NULL, "Vecuma pensija", "Teksts", NULL);

  /* The clerk reads the feed: both, oldest first. */
  page = pull (fixture, "materials", fixture->clerk, NULL);
  g_assert_cmpuint (page->items->len, ==, 2);
  g_assert_false (page->more);
  item = page->items->pdata[0];
  g_assert_cmpstr (item->id, ==, first->id);
  g_assert_cmpstr (item->title, ==, "Bērna kopšanas pabalsts");

  /* An unchanged pull is empty. */
  empty = pull (fixture, "materials", fixture->clerk, page->cursor);
  g_assert_cmpuint (empty->items->len, ==, 0);

  /* An update is a new version and only it comes. */
  second = publish_material (fixture, first->id, "Bērna kopšanas pabalsts", "Jauns teksts", NULL);
  g_assert_cmpint (second->version, ==, 2);
  again = pull (fixture, "materials", fixture->clerk, page->cursor);
  g_assert_cmpuint (again->items->len, ==, 1);
  item = again->items->pdata[0];
  g_assert_cmpint (item->version, ==, 2);
  g_assert_cmpstr (item->body, ==, "Jauns teksts");

  /* Another institution may not touch it; a clerk may not publish. */
  {
    g_autoptr(KacWireMaterial) request_material = kac_wire_material_new ();
    g_autoptr(GBytes) document = NULL;
    g_autofree char *path = g_strconcat ("api/v1/materials/", first->id, NULL);
    const char *services[] = { "VID-01", NULL };
    const char *vsaa_services[] = { "VSAA-01", NULL };

    request_material->title = g_strdup ("x");
    request_material->body = g_strdup ("y");
    request_material->services = g_strdupv ((GStrv) services);
    document = kac_wire_encode_material_request (request_material);
    g_assert_cmpuint (request (fixture, "PUT", path, fixture->vid, "application/json", document,
                               NULL, NULL, NULL), ==, 403);
    /* A service of another institution is refused. */
    g_assert_cmpuint (request (fixture, "POST", "api/v1/materials", fixture->vsaa, "application/json",
                               document, NULL, NULL, NULL), ==, 400);
    g_strfreev (request_material->services);
    request_material->services = g_strdupv ((GStrv) vsaa_services);
    g_clear_pointer (&document, g_bytes_unref);
    document = kac_wire_encode_material_request (request_material);
    g_assert_cmpuint (request (fixture, "POST", "api/v1/materials", fixture->clerk, "application/json",
                               document, NULL, NULL, NULL), ==, 403);
  }

  /* Withdrawal: a tombstone. */
  delete_path = g_strconcat ("api/v1/materials/", other->id, NULL);
  g_assert_cmpuint (request (fixture, "DELETE", delete_path, fixture->vid, NULL, NULL, NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (request (fixture, "DELETE", delete_path, fixture->vsaa, NULL, NULL, NULL, NULL, NULL), ==, 204);
  g_assert_cmpuint (request (fixture, "DELETE", delete_path, fixture->vsaa, NULL, NULL, NULL, NULL, NULL), ==, 404);
  tomb = pull (fixture, "materials", fixture->clerk, again->cursor);
  g_assert_cmpuint (tomb->items->len, ==, 1);
  item = tomb->items->pdata[0];
  g_assert_true (item->deleted);
  g_assert_cmpstr (item->id, ==, other->id);

  /* The attachment by hash: immutable, ETag, 304. */
  g_assert_cmpuint (request (fixture, "GET", attachment_path, fixture->clerk, NULL, NULL, NULL,
                             &fetched, &msg), ==, 200);
  g_assert_true (g_bytes_equal (fetched, pdf_bytes));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"), ==, etag);
  g_assert_nonnull (strstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "Cache-Control"), "immutable"));
  g_assert_cmpuint (request (fixture, "GET", attachment_path, fixture->clerk, NULL, NULL, etag,
                             NULL, NULL), ==, 304);
  g_assert_cmpuint (request (fixture, "GET", "api/v1/attachments/0000000000000000000000000000000000000000000000000000000000000000",
                             fixture->clerk, NULL, NULL, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (fixture, "GET", attachment_path, NULL, NULL, NULL, NULL, NULL, NULL), ==, 401);

  /* A cursor of another epoch: 410. */
  g_assert_cmpuint (request (fixture, "GET", "api/v1/materials?since=deadbeef.1", fixture->clerk,
                             NULL, NULL, NULL, NULL, NULL), ==, 410);
}

static GBytes *
notice_request (KacNoticeKind  kind,
                const char    *centres_csv,
                const char    *position,
                const char    *name,
                const char    *starts,
                const char    *ends)
{
  g_autoptr(KacWireNotice) notice = kac_wire_notice_new ();

  notice->kind = kind;
  notice->centres = g_strsplit (centres_csv, ",", -1);
  notice->position = g_strdup (position);
  notice->name = g_strdup (name);
  notice->starts_at = g_date_time_new_from_iso8601 (starts, NULL);
  notice->ends_at = ends ? g_date_time_new_from_iso8601 (ends, NULL) : NULL;
  return kac_wire_encode_notice_request (notice);
}

static void
test_notices_feed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) both = notice_request (KAC_NOTICE_KIND_SUBSTITUTION, "riga-1,cesis", "Vecākā referente",
                                           "Ilze Ozola", "2026-03-02T07:00:00Z", "2026-03-04T15:00:00Z");
  g_autoptr(GBytes) riga = notice_request (KAC_NOTICE_KIND_ABSENCE, "riga-1", NULL, NULL,
                                           "2026-03-02T07:00:00Z", "2026-03-02T10:00:00Z");
  g_autoptr(GBytes) bad = notice_request (KAC_NOTICE_KIND_SUBSTITUTION, "riga-1", "Referente", "Ilze",
                                          "2026-03-02T07:00:00Z", NULL);
  g_autoptr(GBytes) unknown = notice_request (KAC_NOTICE_KIND_ABSENCE, "nowhere", NULL, NULL,
                                              "2026-03-02T07:00:00Z", "2026-03-02T10:00:00Z");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) moved = NULL;
  g_autoptr(KacWireNotice) stored = NULL;
  g_autoptr(KacWireFeedPage) riga_page = NULL;
  g_autoptr(KacWireFeedPage) cesis_page = NULL;
  g_autoptr(KacWireFeedPage) cesis_after = NULL;
  g_autoptr(KacWireFeedPage) riga_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  KacWireNotice *item;

  g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->vsaa, "application/json", bad,
                             NULL, NULL, NULL), ==, 400);
  g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->vsaa, "application/json", unknown,
                             NULL, NULL, NULL), ==, 400);
  g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->clerk, "application/json", riga,
                             NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->vsaa, "application/json", both,
                             NULL, &answer, NULL), ==, 201);
  stored = kac_wire_decode_notice (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->institution, ==, "VSAA");
  g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->vsaa, "application/json", riga,
                             NULL, NULL, NULL), ==, 201);

  /* Each centre sees its own notices only; institution users read none. */
  riga_page = pull (fixture, "notices", fixture->clerk, NULL);
  cesis_page = pull (fixture, "notices", fixture->other_clerk, NULL);
  g_assert_cmpuint (riga_page->items->len, ==, 2);
  g_assert_cmpuint (cesis_page->items->len, ==, 1);
  item = cesis_page->items->pdata[0];
  g_assert_cmpint (item->kind, ==, KAC_NOTICE_KIND_SUBSTITUTION);
  g_assert_cmpstr (item->name, ==, "Ilze Ozola");
  g_assert_cmpuint (request (fixture, "GET", "api/v1/notices", fixture->vsaa, NULL, NULL, NULL, NULL, NULL), ==, 403);

  /* The substitution is moved to Rīga only: Cēsis gets its tombstone, Rīga the new version. */
  moved = notice_request (KAC_NOTICE_KIND_SUBSTITUTION, "riga-1", "Vecākā referente", "Ilze Ozola",
                          "2026-03-02T07:00:00Z", "2026-03-05T15:00:00Z");
  path = g_strconcat ("api/v1/notices/", stored->id, NULL);
  g_assert_cmpuint (request (fixture, "PUT", path, fixture->vid, "application/json", moved,
                             NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (request (fixture, "PUT", path, fixture->vsaa, "application/json", moved,
                             NULL, NULL, NULL), ==, 200);
  cesis_after = pull (fixture, "notices", fixture->other_clerk, cesis_page->cursor);
  g_assert_cmpuint (cesis_after->items->len, ==, 1);
  item = cesis_after->items->pdata[0];
  g_assert_true (item->deleted);
  g_assert_cmpint (item->version, ==, 2);
  riga_after = pull (fixture, "notices", fixture->clerk, riga_page->cursor);
  g_assert_cmpuint (riga_after->items->len, ==, 1);
  item = riga_after->items->pdata[0];
  g_assert_false (item->deleted);
  g_assert_cmpint (item->version, ==, 2);

  /* New reception hours for the week: the feed carries them as they were given. */
  {
    g_autoptr(KacWireNotice) hours_notice = kac_wire_notice_new ();
    g_autoptr(GBytes) document = NULL;
    g_autoptr(KacWireFeedPage) riga_hours = NULL;
    KacWireHours monday = { 1, 9 * 60, 16 * 60 }, thursday = { 4, 12 * 60, 19 * 60 + 30 };

    hours_notice->kind = KAC_NOTICE_KIND_HOURS_CHANGED;
    hours_notice->centres = g_strsplit ("riga-1", ",", -1);
    hours_notice->starts_at = g_date_time_new_from_iso8601 ("2026-03-09T00:00:00Z", NULL);
    hours_notice->note = g_strdup ("Ceturtdienās līdz 19.30");
    g_array_append_val (hours_notice->hours, monday);
    g_array_append_val (hours_notice->hours, thursday);
    document = kac_wire_encode_notice_request (hours_notice);
    g_assert_cmpuint (request (fixture, "POST", "api/v1/notices", fixture->vsaa, "application/json",
                               document, NULL, NULL, NULL), ==, 201);
    riga_hours = pull (fixture, "notices", fixture->clerk, riga_after->cursor);
    g_assert_cmpuint (riga_hours->items->len, ==, 1);
    item = riga_hours->items->pdata[0];
    g_assert_cmpint (item->kind, ==, KAC_NOTICE_KIND_HOURS_CHANGED);
    g_assert_cmpuint (item->hours->len, ==, 2);
    g_assert_cmpuint (g_array_index (item->hours, KacWireHours, 1).to_minute, ==, 19 * 60 + 30);
    g_assert_cmpstr (item->note, ==, "Ceturtdienās līdz 19.30");
  }
}

static void
test_feed_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *cursor = NULL;
  guint seen = 0, pages = 0;
  const char *services[] = { "VSAA-01", NULL };

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(KacWireMaterial) request_material = kac_wire_material_new ();
      g_autoptr(KacWireMaterial) stored = NULL;
      g_autoptr(GError) error = NULL;

      request_material->title = g_strdup_printf ("Materiāls %u", i);
      request_material->body = g_strdup ("Teksts");
      request_material->services = g_strdupv ((GStrv) services);
      stored = kac_central_store_publish_material (fixture->central->store, NULL, request_material, "VSAA",
                                                   0, "test", now, &error);
      g_assert_no_error (error);
    }

  /* Pages of 10 follow each other with no gap and no repeat. */
  for (;;)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor ? cursor : "", NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("api/v1/materials?limit=10&since=%s", escaped);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KacWireFeedPage) page = NULL;

      g_assert_cmpuint (request (fixture, "GET", path, fixture->clerk, NULL, NULL, NULL, &answer, NULL), ==, 200);
      page = kac_wire_decode_materials_page (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        {
          g_autofree char *title = g_strdup_printf ("Materiāls %u", seen + i);

          g_assert_cmpstr (((KacWireMaterial *) page->items->pdata[i])->title, ==, title);
        }
      seen += page->items->len;
      pages++;
      g_free (cursor);
      cursor = g_strdup (page->cursor);
      if (!page->more)
        break;
    }

  g_assert_cmpuint (seen, ==, 25);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (request (fixture, "GET", "api/v1/materials?limit=0", fixture->clerk, NULL, NULL,
                             NULL, NULL, NULL), ==, 400);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/materials-central/materials", Fixture, NULL, fixture_set_up, test_materials_feed, fixture_tear_down);
  g_test_add ("/materials-central/notices", Fixture, NULL, fixture_set_up, test_notices_feed, fixture_tear_down);
  g_test_add ("/materials-central/pages", Fixture, NULL, fixture_set_up, test_feed_pages, fixture_tear_down);

  return g_test_run ();
}
