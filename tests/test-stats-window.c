/* test-stats-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics page on a seeded store in a real window: the table shows the figures,
 * switching the range updates it (an empty range shows the status page), the CSV and PDF
 * exports (pdftotext finds the centre and the totals), and screenshots in light and dark
 * (run with --language=lv for the Latvian ones). The scope switch against the real kac-central
 * over HTTPS: a manager sees the whole centre's figures; a clerk, a signed-out desk and a
 * server that is down are told why, inline, and see this terminal's figures.
 */
#define G_LOG_DOMAIN "test-stats-window"

#include "config.h"

#include "kac-desk-resources.h"
#include "kac-stats-page.h"
#include "kac-store-private.h"
#include "kac-test-central.h"
#include "kac-test-gui.h"
#include "kac-test-util.h"

#include <string.h>

#include <glib/gi18n.h>


/* As in test-stats.c: 2 and 3 March 2026 (Monday, Tuesday), with one withdrawn record. */
static const char seed_records[] =
  "INSERT INTO records (uuid, kind, service_code, institution_code, channel, satisfaction,"
  "  created_at, updated_at, state) VALUES"
  " ('r1',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r2',  'application', 'VSAA-01', 'VSAA', 'electronic', 4, unixepoch ('2026-03-02 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r3',  'application', 'VID-01', 'VID', 'phone', 0, unixepoch ('2026-03-02 09:00:00') * 1000000, 0, 'queued'),"
  " ('r4',  'complaint', 'VID-01', 'VID', 'post', 1, unixepoch ('2026-03-02 10:00:00') * 1000000, 0, 'accepted'),"
  " ('r5',  'information', NULL, NULL, 'phone', 3, unixepoch ('2026-03-02 11:00:00') * 1000000, 0, 'rejected'),"
  " ('r6',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 12:00:00') * 1000000, 0, 'withdrawn'),"
  " ('r8',  'consultation-eservices', 'VSAA-01', 'VSAA', 'electronic', 5, unixepoch ('2026-03-01 22:30:00') * 1000000, 0, 'accepted'),"
  " ('r9',  'application', 'VID-01', 'VID', 'electronic', 2, unixepoch ('2026-03-03 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r10', 'question', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r11', 'application', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 09:00:00') * 1000000, 0, 'accepted'),"
  " ('r13', 'suggestion', 'VID-01', 'VID', 'post', 3, unixepoch ('2026-03-03 10:00:00') * 1000000, 0, 'sending'),"
  " ('r14', 'consultation-eaddress', NULL, NULL, 'electronic', 0, unixepoch ('2026-03-03 21:59:59') * 1000000, 0, 'accepted');"
  "INSERT INTO application_status (uuid, central_number, status, changed_at, due_date) VALUES"
  " ('r1',  'C-1', 'completed', unixepoch ('2026-03-09 22:30:00') * 1000000, '2026-03-09'),"
  " ('r2',  'C-2', 'forwarded', unixepoch ('2026-03-02 09:00:00') * 1000000, '2026-03-03');";

static gint64
row_int (GListModel *model,
         guint       position,
         const char *property)
{
  g_autoptr(GObject) row = g_list_model_get_item (model, position);
  gint64 value = 0;

  g_object_get (row, property, &value, NULL);
  return value;
}

static void
test_stats_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = kac_test_make_tmp_dir ("test-stats-window-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "figures.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "figures.pdf", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  g_autofree char *csv = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *argv_text = NULL;
  KacStatsPage *page;
  GtkWindow *window;
  GListModel *table;
  GtkWidget *stack;
  GDate today;
  int wait_status;

  g_assert_no_error (error);
  kac_test_exec_sql (_kac_store_get_db (store), seed_records);

  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 1000, 860);
  page = g_object_new (KAC_TYPE_STATS_PAGE, NULL);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 5, G_DATE_MARCH, 2026);
  kac_stats_page_set_today (page, &today);
  kac_stats_page_set_catalog (page, catalog);
  kac_stats_page_set_centre (page, "centre-1", "Ādažu novada VPVKAC");
  kac_stats_page_set_store (page, store);
  gtk_window_present (window);

  /* Today (5 March): nothing registered, the status page says so. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_TODAY);
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), KAC_TYPE_STATS_PAGE, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  table = kac_stats_page_get_table_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 0);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "stats-empty");

  /* This week (Monday 2 – Thursday 5 March): 11 cases in three groups. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_THIS_WEEK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "figures");
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.delayed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 3);
  {
    gint64 sum = 0;

    for (guint i = 0; i < 3; i++)
      sum += row_int (table, i, "cases");
    g_assert_cmpint (sum, ==, 11);
  }

  /* Yesterday (4 March): empty again; a custom range of 3 March: 5 cases. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_YESTERDAY);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  {
    GDate day;

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, 3, G_DATE_MARCH, 2026);
    kac_stats_page_set_custom_range (page, &day, &day);
  }
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 5);

  /* The month, for the pictures and the exports. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_THIS_MONTH);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 3);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "stats-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "stats-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* CSV: the header and the totals. */
  g_assert_true (kac_stats_page_export_csv (page, csv_file, ';', &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csv, "Ādažu novada VPVKAC;11;"));

  /* PDF: its text has the centre and the total. */
  g_assert_true (kac_stats_page_export_pdf (page, pdf_file, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &pdf_text, NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  g_test_message ("PDF text: %s", pdf_text);
  g_assert_nonnull (strstr (pdf_text, "Ādažu novada VPVKAC"));
  g_assert_nonnull (strstr (pdf_text, "2026-03-01"));
  g_assert_nonnull (strstr (pdf_text, "11"));

  gtk_window_destroy (window);
  kac_test_run_for (100);
  g_clear_object (&store);
  kac_test_remove_tree (dir);
}

/* Whole centre */

static gboolean
page_not_loading (gpointer data)
{
  return !kac_stats_page_get_loading (KAC_STATS_PAGE (data));
}

static void
central_add_record (KacTestCentral *central,
                    const char     *created_at_text,
                    KacChannel      channel)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) clerk = kac_central_store_lookup_user (central->store, KAC_TEST_CLERK, &error);
  g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 (created_at_text, NULL);
  g_autoptr(KacRecord) record = g_object_new (KAC_TYPE_RECORD,
                                              "created-at", created_at,
                                              "kind", KAC_RECORD_KIND_INFORMATION,
                                              "channel", channel,
                                              "centre-id", KAC_TEST_CENTRE,
                                              "clerk", KAC_TEST_CLERK,
                                              NULL);
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = kac_wire_record_hash (record);
  g_autofree char *number = NULL;

  g_assert_no_error (error);
  g_assert_true (kac_central_store_begin (central->store, &error));
  number = kac_central_store_insert_record (central->store, record, body, hash, NULL, clerk,
                                            created_at, &error);
  g_assert_no_error (error);
  g_assert_true (kac_central_store_commit (central->store, &error));
}

static void
test_stats_scope (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacTestCentral) central = kac_test_central_new ();
  g_autofree char *dir = kac_test_make_tmp_dir ("test-stats-scope-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  g_autoptr(KacSyncEngine) engine = NULL;
  g_autofree char *manager_token = NULL;
  g_autofree char *clerk_token = NULL;
  g_autofree char *signed_out_reason = NULL;
  KacStatsPage *page;
  GtkWindow *window;
  GDate from, to;

  g_assert_no_error (error);
  /* This terminal: the seeded 2 and 3 March 2026 (11 cases, one withdrawn left out). The centre: three registrations
   * of other terminals on 2 March. */
  kac_test_exec_sql (_kac_store_get_db (store), seed_records);
  central_add_record (central, "2026-03-02T08:00:00Z", KAC_CHANNEL_PHONE);
  central_add_record (central, "2026-03-02T09:00:00Z", KAC_CHANNEL_PHONE);
  central_add_record (central, "2026-03-02T10:00:00Z", KAC_CHANNEL_POST);
  g_assert_true (kac_central_store_add_user (central->store, "ilze", NULL, "unused",
                                             KAC_CENTRAL_ROLE_MANAGER, KAC_TEST_CENTRE, NULL, &error));
  g_assert_no_error (error);
  manager_token = kac_test_central_issue_token (central, "ilze", G_TIME_SPAN_HOUR);
  clerk_token = kac_test_central_issue_token (central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 700);
  page = KAC_STATS_PAGE (g_object_new (KAC_TYPE_STATS_PAGE, NULL));
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  kac_stats_page_set_store (page, store);
  kac_stats_page_set_centre (page, KAC_TEST_CENTRE, "Rīgas VPVKAC");
  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 2, G_DATE_MARCH, 2026);
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 3, G_DATE_MARCH, 2026);
  kac_stats_page_set_custom_range (page, &from, &to);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, >, 0);

  /* No central system at all. */
  g_assert_nonnull (kac_stats_page_get_centre_unavailable_reason (page));
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_CENTRE);
  g_assert_cmpint (kac_stats_page_get_scope (page), ==, KAC_STATS_SCOPE_TERMINAL);
  g_assert_nonnull (kac_stats_page_get_notice (page));
  g_test_message ("no server: %s", kac_stats_page_get_notice (page));

  /* Signed out. */
  engine = kac_sync_engine_new (store);
  kac_sync_engine_set_server_uri (engine, central->uri);
  kac_sync_engine_set_ca_file (engine, central->ca_file);
  kac_stats_page_set_sync_engine (page, engine);
  kac_stats_page_set_role (page, "manager");
  signed_out_reason = g_strdup (kac_stats_page_get_centre_unavailable_reason (page));
  g_assert_nonnull (signed_out_reason);
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_CENTRE);
  g_assert_cmpint (kac_stats_page_get_scope (page), ==, KAC_STATS_SCOPE_TERMINAL);
  g_assert_cmpstr (kac_stats_page_get_notice (page), ==, signed_out_reason);
  g_test_message ("signed out: %s", signed_out_reason);

  /* A clerk. */
  kac_sync_engine_set_token (engine, clerk_token);
  kac_stats_page_set_role (page, "clerk");
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_CENTRE);
  g_assert_cmpint (kac_stats_page_get_scope (page), ==, KAC_STATS_SCOPE_TERMINAL);
  g_assert_cmpstr (kac_stats_page_get_notice (page), ==, kac_stats_page_get_centre_unavailable_reason (page));
  g_assert_cmpstr (kac_stats_page_get_notice (page), !=, signed_out_reason);
  g_test_message ("clerk: %s", kac_stats_page_get_notice (page));
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);

  /* The manager: the centre's three, fetched over HTTPS. */
  kac_sync_engine_set_token (engine, manager_token);
  kac_stats_page_set_role (page, "manager");
  g_assert_null (kac_stats_page_get_centre_unavailable_reason (page));
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_CENTRE);
  g_assert_cmpint (kac_stats_page_get_scope (page), ==, KAC_STATS_SCOPE_CENTRE);
  g_assert_true (kac_test_wait_until (page_not_loading, page, 20000));
  g_assert_null (kac_stats_page_get_notice (page));
  g_assert_nonnull (kac_stats_page_get_stats (page));
  g_assert_cmpstr (kac_stats_page_get_stats (page)->centre_id, ==, KAC_TEST_CENTRE);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 3);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.by_channel[KAC_CHANNEL_PHONE], ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (kac_stats_page_get_table_model (page)), ==, 1);

  /* The central system cannot be reached (a port where nothing listens; stopping the
   * in-process server while the engine's TLS handshake is on its way would deadlock the
   * test itself): the error is shown inline, nothing else is pretended. */
  kac_sync_engine_set_server_uri (engine, "https://127.0.0.1:9/");
  kac_sync_engine_set_token (engine, manager_token);
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_CENTRE);
  kac_stats_page_refresh (page);
  g_assert_true (kac_test_wait_until (page_not_loading, page, 30000));
  g_assert_nonnull (kac_stats_page_get_notice (page));
  /* Either the fetch failed (nothing shown but the error), or the engine found the server
   * gone first and the page went back to this terminal, saying why. */
  if (kac_stats_page_get_scope (page) == KAC_STATS_SCOPE_CENTRE)
    g_assert_null (kac_stats_page_get_stats (page));
  else
    g_assert_cmpstr (kac_stats_page_get_notice (page), ==, kac_stats_page_get_centre_unavailable_reason (page));
  g_test_message ("server down: %s", kac_stats_page_get_notice (page));

  /* Back to this terminal. */
  kac_stats_page_set_scope (page, KAC_STATS_SCOPE_TERMINAL);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);
  g_assert_null (kac_stats_page_get_notice (page));

  gtk_window_destroy (window);
  kac_sync_engine_stop (engine);
  kac_test_run_for (300);
  g_clear_object (&engine);
  g_clear_object (&store);
  kac_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* --language=lv runs everything in Latvian. */
  kac_test_gui_init (&argc, &argv);
  adw_init ();
  /* The resources are registered by a constructor in their object file: referencing them
   * keeps the linker from dropping it from the static library. */
  (void) kac_desk_get_resource ();

  g_test_add_func ("/stats-window/page", test_stats_page);
  g_test_add_func ("/stats-window/scope", test_stats_scope);

  return g_test_run ();
}
