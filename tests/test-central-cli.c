/* test-central-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kac-central command line as an operator uses it: init, centre add, user add, status set,
 * material publish/withdraw, notice add/withdraw, --help and wrong usage, and serve on a free port (plain HTTP on loopback) answering /healthz
 * until SIGTERM.
 */
#define G_LOG_DOMAIN "test-central-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kac-central-store.h"
#include "kac-central-store-materials.h"
#include "kac-test-central.h"
#include "kac-wire.h"

/* A fresh folder per test; the path is the central database in it (made by `init`). */
typedef KacTestFixture Fixture;

/* Runs kac-central with @args; returns its exit status, output in @out/@err when asked. */
static int
run (const char * const  *args,
     char               **out,
     char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_ptr_array_add (argv, (gpointer) KAC_CENTRAL_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  return g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  kac_test_fixture_init (f, "central.db", NULL);
}

static void
test_help (void)
{
  const char *commands[][3] = {
    { "init", NULL, NULL },
    { "serve", NULL, NULL },
    { "centre", "add", NULL },
    { "user", "add", NULL },
    { "status", "set", NULL },
    { "epoch", "new", NULL },
    { "material", "publish", NULL },
    { "material", "withdraw", NULL },
    { "notice", "add", NULL },
    { "notice", "withdraw", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[4] = { commands[i][0], commands[i][1] ? commands[i][1] : "--help",
                              commands[i][1] ? "--help" : NULL, NULL };
      g_autofree char *out = NULL;
      g_autofree char *prefix = g_strdup_printf ("Usage:\n  kac-central %s%s%s", commands[i][0],
                                                 commands[i][1] ? " " : "",
                                                 commands[i][1] ? commands[i][1] : "");

      g_test_message ("%s %s --help", commands[i][0], commands[i][1] ? commands[i][1] : "");
      g_assert_cmpint (run (args, &out, NULL), ==, 0);
      g_assert_true (g_str_has_prefix (out, prefix));
      g_assert_nonnull (strstr (out, "--db"));
    }

  {
    const char *args[] = { "--help", NULL };
    const char *none[] = { NULL };
    const char *unknown[] = { "explode", NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run (args, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "user add"));
    g_assert_cmpint (run (none, NULL, NULL), ==, 2);
    g_assert_cmpint (run (unknown, NULL, NULL), ==, 2);
  }
}

static void
test_init_and_add (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *password_file = g_build_filename (f->dir, "admin-password", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *init[] = { "init", "--db", f->path, "--admin-password-file", password_file, NULL };
  const char *init_generated[] = { "init", "--db", f->path, NULL };
  const char *init_no_db[] = { "init", NULL };
  const char *centre[] = { "centre", "add", "--db", f->path, "--id", "riga-1", "--name", "Rīgas VPVKAC",
                           "--kind", "national", NULL };
  const char *centre_bad_kind[] = { "centre", "add", "--db", f->path, "--id", "x", "--name", "X",
                                    "--kind", "galactic", NULL };
  const char *clerk[] = { "user", "add", "--db", f->path, "--username", "anna", "--role", "clerk",
                          "--centre", "riga-1", "--display-name", "Anna Ozola", NULL };
  const char *clerk_again[] = { "user", "add", "--db", f->path, "--username", "anna", "--role", "clerk",
                                "--centre", "riga-1", NULL };
  const char *clerk_no_centre[] = { "user", "add", "--db", f->path, "--username", "bob", "--role", "clerk", NULL };
  const char *clerk_unknown_centre[] = { "user", "add", "--db", f->path, "--username", "bob", "--role", "clerk",
                                         "--centre", "nowhere", NULL };
  const char *bad_role[] = { "user", "add", "--db", f->path, "--username", "bob", "--role", "king", NULL };
  const char *institution[] = { "user", "add", "--db", f->path, "--username", "vsaa", "--role", "institution",
                                "--institution", "VSAA", NULL };
  const char *stray[] = { "user", "add", "--db", f->path, "--username", "c", "--role", "admin", "extra", NULL };
  const char *missing_db[] = { "centre", "add", "--db", "/nonexistent/central.db", "--id", "a", "--name", "A",
                               "--kind", "county", NULL };
  const char *status_unknown[] = { "status", "set", "--db", f->path, "--record", "KAC-2026-000001",
                                   "--status", "forwarded", NULL };
  const char *status_bad[] = { "status", "set", "--db", f->path, "--record", "KAC-2026-000001",
                               "--status", "lost", NULL };
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run (init_no_db, NULL, NULL), ==, 2);

  g_assert_true (g_file_set_contents (password_file, "correct horse battery\n", -1, NULL));
  g_assert_cmpint (run (init, &out, &err), ==, 0);
  g_assert_null (strstr (out, "correct horse"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A second init must not add another admin to a live database. */
  g_assert_cmpint (run (init_generated, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "has users already"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (centre, NULL, NULL), ==, 0);
  g_assert_cmpint (run (centre, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "exists already"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (centre_bad_kind, NULL, NULL), ==, 2);

  /* A generated password is printed once. */
  g_assert_cmpint (run (clerk, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Password of “anna”"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (clerk_again, NULL, NULL), ==, 1);
  g_assert_cmpint (run (clerk_no_centre, NULL, NULL), ==, 1);
  g_assert_cmpint (run (clerk_unknown_centre, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "nowhere"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (bad_role, NULL, NULL), ==, 2);
  g_assert_cmpint (run (institution, NULL, NULL), ==, 0);
  g_assert_cmpint (run (stray, NULL, NULL), ==, 2);
  g_assert_cmpint (run (missing_db, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "init --db"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (status_unknown, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "KAC-2026-000001"));
  g_assert_cmpint (run (status_bad, NULL, NULL), ==, 2);

  /* What the commands wrote. */
  store = kac_central_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_central_store_count_users (store, &error), ==, 3);
  user = kac_central_store_lookup_user (store, "anna", &error);
  g_assert_nonnull (user);
  g_assert_cmpint (user->role, ==, KAC_CENTRAL_ROLE_CLERK);
  g_assert_cmpstr (user->centre_id, ==, "riga-1");
  g_assert_cmpstr (user->display_name, ==, "Anna Ozola");
  g_assert_true (g_str_has_prefix (user->password_hash, "$argon2id$"));
  g_clear_pointer (&user, kac_central_user_free);
  user = kac_central_store_lookup_user (store, "admin", &error);
  g_assert_nonnull (user);
  g_assert_cmpint (user->role, ==, KAC_CENTRAL_ROLE_ADMIN);
}

static void
test_serve (Fixture       *f,
            gconstpointer  data)
{
  const char *init[] = { "init", "--db", f->path, NULL };
  const char *serve_public[] = { "serve", "--db", f->path, "--insecure-http", "--address", "0.0.0.0",
                                 "--port", "0", NULL };
  const char *serve_half_tls[] = { "serve", "--db", f->path, "--tls-cert", "/x.pem", NULL };
  const char *serve_plain[] = { KAC_CENTRAL_PATH, "serve", "--db", f->path, "--insecure-http", "--port", "0", NULL };
  const char *centre_while_serving[] = { "centre", "add", "--db", f->path, "--id", "a", "--name", "A",
                                         "--kind", "county", NULL };
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_cmpint (run (init, NULL, NULL), ==, 0);
  g_assert_cmpint (run (serve_public, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "loopback"));
  g_assert_cmpint (run (serve_half_tls, NULL, NULL), ==, 2);

  server = g_subprocess_newv (serve_plain, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));

  /* While it serves, the database belongs to it: a second writer is refused. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (centre_while_serving, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "in use"));

  url = g_strconcat (line + strlen ("Listening on "), "healthz", NULL);
  msg = soup_message_new ("GET", url);
  body = kac_test_send_and_read (session, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "\"status\":\"ok\""));
  soup_session_abort (session);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
}

/* The id printed by "Published material ID, version N." and the like. */
static char *
printed_id (const char *out,
            const char *prefix)
{
  const char *start = strstr (out, prefix);

  g_assert_nonnull (start);
  start += strlen (prefix);
  return g_strndup (start, 36);
}

static void
test_materials_and_notices (Fixture       *f,
                            gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.4\n% pabalsta noteikumi\n%%EOF\n";
  g_autofree char *body_path = g_build_filename (f->dir, "materials.md", NULL);
  g_autofree char *pdf_path = g_build_filename (f->dir, "noteikumi.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *material_id = NULL;
  g_autofree char *notice_id = NULL;
  g_autofree char *sha256 = NULL;
  const char *init[] = { "init", "--db", f->path, NULL };
  const char *centre[] = { "centre", "add", "--db", f->path, "--id", "riga-1", "--name", "Rīgas VPVKAC",
                           "--kind", "national", NULL };
  const char *publish[] = { "material", "publish", "--db", f->path, "--institution", "VSAA",
                            "--title", "Bērna kopšanas pabalsts", "--service", "VSAA-01", "--service", "VSAA-02",
                            "--body-file", body_path, "--attachment", pdf_path, NULL };
  const char *publish_no_title[] = { "material", "publish", "--db", f->path, "--institution", "VSAA",
                                     "--service", "VSAA-01", "--body-file", body_path, NULL };
  const char *absence_no_until[] = { "notice", "add", "--db", f->path, "--institution", "VSAA",
                                     "--kind", "absence", "--centre", "riga-1", "--from", "2026-03-02T09:00:00", NULL };
  const char *bad_kind[] = { "notice", "add", "--db", f->path, "--institution", "VSAA",
                             "--kind", "holiday", "--centre", "riga-1", NULL };
  const char *bad_hours[] = { "notice", "add", "--db", f->path, "--institution", "VSAA",
                              "--kind", "hours-changed", "--centre", "riga-1", "--from", "2026-03-02T00:00:00",
                              "--hours", "8=09:00-16:00", NULL };
  const char *hours[] = { "notice", "add", "--db", f->path, "--institution", "VSAA",
                          "--kind", "hours-changed", "--centre", "riga-1", "--from", "2026-03-02T00:00:00+02:00",
                          "--hours", "1=09:00-16:00", "--hours", "3=10:00-18:30", NULL };
  const char *substitution[] = { "notice", "add", "--db", f->path, "--institution", "VSAA",
                                 "--kind", "substitution", "--centre", "riga-1",
                                 "--position", "Vecākā referente", "--name", "Līga Kalniņa",
                                 "--from", "2026-03-02T09:00:00+02:00", "--until", "2026-03-06T17:00:00+02:00",
                                 "--note", "Anna Ozola atvaļinājumā.", NULL };
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GBytes) feed = NULL;
  g_autoptr(KacWireFeedPage) page = NULL;
  g_autoptr(GBytes) attachment = NULL;
  g_autoptr(GError) error = NULL;
  KacWireMaterial *material;
  KacWireNotice *notice;

  g_assert_true (g_file_set_contents (body_path, "# Kam pienākas\n\n- vecākiem\n", -1, NULL));
  g_assert_true (g_file_set_contents (pdf_path, pdf, sizeof pdf - 1, NULL));
  g_assert_cmpint (run (init, NULL, NULL), ==, 0);
  g_assert_cmpint (run (centre, NULL, NULL), ==, 0);

  g_assert_cmpint (run (publish, &out, NULL), ==, 0);
  material_id = printed_id (out, "Published material ");
  g_assert_nonnull (strstr (out, "version 1."));
  g_clear_pointer (&out, g_free);
  {
    const char *update[] = { "material", "publish", "--db", f->path, "--institution", "VSAA", "--id", material_id,
                             "--title", "Bērna kopšanas pabalsts (2026)", "--service", "VSAA-01",
                             "--body-file", body_path, NULL };
    const char *other_institution[] = { "material", "publish", "--db", f->path, "--institution", "VID",
                                        "--id", material_id, "--title", "X", "--service", "VID-01",
                                        "--body-file", body_path, NULL };

    g_assert_cmpint (run (update, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "version 2."));
    g_clear_pointer (&out, g_free);
    /* Only the publishing institution updates its material. */
    g_assert_cmpint (run (other_institution, NULL, NULL), ==, 1);
  }
  g_assert_cmpint (run (publish_no_title, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--title"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (absence_no_until, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "ends_at"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (bad_kind, NULL, NULL), ==, 2);
  g_assert_cmpint (run (bad_hours, NULL, NULL), ==, 2);
  g_assert_cmpint (run (hours, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (substitution, &out, NULL), ==, 0);
  notice_id = printed_id (out, "Sent notice ");
  g_clear_pointer (&out, g_free);

  /* What the feeds give a terminal. */
  store = kac_central_store_open (f->path, &error);
  g_assert_no_error (error);
  feed = kac_central_store_list_materials (store, 0, 100, &error);
  g_assert_no_error (error);
  page = kac_wire_decode_materials_page (g_bytes_get_data (feed, NULL), g_bytes_get_size (feed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  material = page->items->pdata[0];
  g_assert_cmpstr (material->id, ==, material_id);
  g_assert_cmpint (material->version, ==, 2);
  g_assert_cmpstr (material->title, ==, "Bērna kopšanas pabalsts (2026)");
  g_assert_cmpstr (material->institution, ==, "VSAA");
  g_clear_pointer (&page, kac_wire_feed_page_free);
  g_clear_pointer (&feed, g_bytes_unref);

  /* The attachment of version 1 is stored by its hash, as a PDF. */
  {
    g_autofree char *content_type = NULL;
    g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);

    sha256 = kac_wire_sha256_of_bytes (pdf_bytes);
    attachment = kac_central_store_get_attachment (store, sha256, &content_type, &error);
    g_assert_no_error (error);
    g_assert_nonnull (attachment);
    g_assert_true (g_bytes_equal (attachment, pdf_bytes));
    g_assert_cmpstr (content_type, ==, "application/pdf");
  }

  feed = kac_central_store_list_notices (store, "riga-1", 0, 100, &error);
  g_assert_no_error (error);
  page = kac_wire_decode_notices_page (g_bytes_get_data (feed, NULL), g_bytes_get_size (feed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2);
  notice = page->items->pdata[0];
  g_assert_cmpint (notice->kind, ==, KAC_NOTICE_KIND_HOURS_CHANGED);
  g_assert_cmpuint (notice->hours->len, ==, 2);
  g_assert_cmpuint (g_array_index (notice->hours, KacWireHours, 1).day, ==, 3);
  g_assert_cmpuint (g_array_index (notice->hours, KacWireHours, 1).to_minute, ==, 18 * 60 + 30);
  notice = page->items->pdata[1];
  g_assert_cmpstr (notice->id, ==, notice_id);
  g_assert_cmpint (notice->kind, ==, KAC_NOTICE_KIND_SUBSTITUTION);
  g_assert_cmpstr (notice->name, ==, "Līga Kalniņa");
  g_assert_cmpstr (notice->note, ==, "Anna Ozola atvaļinājumā.");
  g_assert_cmpint (g_date_time_to_unix (notice->starts_at), ==, 1772434800);  /* 2026-03-02 07:00 UTC */
  g_clear_pointer (&page, kac_wire_feed_page_free);
  g_clear_pointer (&feed, g_bytes_unref);
  g_clear_object (&store);

  /* Withdrawals become tombstones in the feeds. */
  {
    const char *withdraw_material[] = { "material", "withdraw", "--db", f->path, "--institution", "VSAA",
                                        "--id", material_id, NULL };
    const char *withdraw_notice[] = { "notice", "withdraw", "--db", f->path, "--institution", "VSAA",
                                      "--id", notice_id, NULL };
    const char *withdraw_again[] = { "notice", "withdraw", "--db", f->path, "--institution", "VSAA",
                                     "--id", notice_id, NULL };

    g_assert_cmpint (run (withdraw_material, NULL, NULL), ==, 0);
    g_assert_cmpint (run (withdraw_notice, NULL, NULL), ==, 0);
    g_assert_cmpint (run (withdraw_again, NULL, NULL), ==, 1);
  }
  store = kac_central_store_open (f->path, &error);
  g_assert_no_error (error);
  feed = kac_central_store_list_materials (store, 0, 100, &error);
  page = kac_wire_decode_materials_page (g_bytes_get_data (feed, NULL), g_bytes_get_size (feed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_true (((KacWireMaterial *) page->items->pdata[0])->deleted);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/central-cli/help", test_help);
  g_test_add ("/central-cli/init-and-add", Fixture, NULL, fixture_set_up, test_init_and_add, kac_test_fixture_tear_down);
  g_test_add ("/central-cli/materials-and-notices", Fixture, NULL, fixture_set_up, test_materials_and_notices, kac_test_fixture_tear_down);
  g_test_add ("/central-cli/serve", Fixture, NULL, fixture_set_up, test_serve, kac_test_fixture_tear_down);

  return g_test_run ();
}
