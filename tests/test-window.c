/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk window driven through its widgets, as a clerk would use it, on a real store in a
 * temporary XDG_DATA_HOME. GTK 4.8 cannot synthesise key presses, so the test types with the
 * editable setters, picks with the widgets' own signals and saves with the action that Ctrl+Enter
 * triggers. It also writes a PNG of each screen (run it with --language=lv for the Latvian ones).
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "kac-application.h"
#include "kac-personal-code.h"
#include "kac-preferences-window.h"
#include "kac-queue-page.h"
#include "kac-queue-row.h"
#include "kac-register-page.h"
#include "kac-store.h"
#include "kac-test-gui.h"
#include "kac-window.h"
#include "kac-window-private.h"

#define VALID_CODE       "161175-19997"
#define VALID_CODE_TAIL  "19997"
#define IMPOSSIBLE_CODE  "161375-19997"

static char *tmp_dir;
static KacApplication *app;
static KacWindow *window;
static GSettings *settings;
static GPtrArray *saved_uuids;
static char *store_path;

/* Helpers */

static KacRegisterPage *
get_register_page (void)
{
  return kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");
}

static KacQueuePage *
get_queue_page (void)
{
  return kac_test_gui_child (window, KAC_TYPE_WINDOW, "queue_page");
}

static KacStore *
get_store (void)
{
  return kac_application_get_store (app);
}

static const char *
visible_page (void)
{
  return adw_view_stack_get_visible_child_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "view_stack"));
}

static gpointer
page_child (const char *name)
{
  return kac_test_gui_child (get_register_page (), KAC_TYPE_REGISTER_PAGE, name);
}

static guint
count_records_in_store (void)
{
  return g_list_model_get_n_items (kac_store_get_records (get_store ()));
}

/* Picks a service the way a clerk does: types words, then Enter. */
static void
type_and_pick_service (const char *query,
                       const char *expected_folded)
{
  GtkSearchEntry *entry = page_child ("service_entry");
  GtkListView *list = page_child ("service_list");
  GtkSelectionModel *selection = gtk_list_view_get_model (list);
  g_autoptr(KacService) first = NULL;
  g_autofree char *folded = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >, 0);
  first = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  g_assert_true (gtk_selection_model_is_selected (selection, 0));
  folded = kac_fold_for_search (kac_service_get_name (first));
  g_assert_nonnull (strstr (folded, expected_folded));

  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_label_get_label (page_child ("picked_title")), ==, kac_service_get_name (first));
}

static void
select_kind (KacRecordKind kind)
{
  adw_combo_row_set_selected (page_child ("kind_row"), kind);
}

static void
set_notes (const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page_child ("notes_view")), text, -1);
}

static void
fill_application (const char *code)
{
  select_kind (KAC_RECORD_KIND_APPLICATION);
  type_and_pick_service ("berna kopsanas", "berna kopsanas");
  gtk_editable_set_text (page_child ("client_name_row"), "Anna Bērziņa");
  gtk_editable_set_text (page_child ("client_code_row"), code);
  set_notes ("Iesniegums par bērna kopšanas pabalstu; klients atnesa dzimšanas apliecību.");
  gtk_toggle_button_set_active (page_child ("satisfaction_5"), TRUE);
}

static void
save_form (void)
{
  /* The action Ctrl+Enter is bound to. */
  gtk_widget_activate_action (GTK_WIDGET (get_register_page ()), "register.save", NULL);
}

/* Saves and returns the new record's UUID, from the toast's Undo action. */
static char *
save_and_get_uuid (void)
{
  guint before = count_records_in_store ();
  AdwToast *toast;
  GVariant *target;
  char *uuid;

  save_form ();
  g_assert_cmpuint (count_records_in_store (), ==, before + 1);

  toast = _kac_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, _("Registration saved"));
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "window.undo-save");
  target = adw_toast_get_action_target_value (toast);
  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE_STRING));
  uuid = g_variant_dup_string (target, NULL);
  g_ptr_array_add (saved_uuids, g_strdup (uuid));

  return uuid;
}

static gboolean
focus_is_in (gpointer widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
assert_field_error (gpointer    field,
                    const char *label_name)
{
  GtkLabel *label = page_child (label_name);

  g_assert_true (gtk_widget_has_css_class (field, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_label (label), !=, "");
  g_assert_true (focus_is_in (field));
}

/* No label anywhere below @widget may show @text. */
static void
assert_no_label_shows (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget))
    g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (widget)), text));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_no_label_shows (c, text);
}

static guint
find_position (GListModel *model,
               const char *uuid)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KacRecord) record = g_list_model_get_item (model, i);

      if (g_strcmp0 (kac_record_get_uuid (record), uuid) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
set_terminal_settings (void)
{
  g_settings_set_string (settings, "centre-id", "KAC-0042");
  g_settings_set_string (settings, "centre-name", "Ādažu novada VPVKAC");
  g_settings_set_string (settings, "clerk-name", "Līga Ozola");
}

/* Tests */

static void
test_setup_hint (void)
{
  GtkRevealer *hint = kac_test_gui_child (window, KAC_TYPE_WINDOW, "setup_revealer");
  guint before = count_records_in_store ();

  g_settings_reset (settings, "clerk-name");
  g_settings_reset (settings, "centre-id");
  g_assert_true (gtk_revealer_get_reveal_child (hint));

  /* A registration without centre and clerk is refused, and the form keeps what was typed. */
  kac_test_gui_show_page (window, "register");
  fill_application (VALID_CODE);
  save_form ();
  g_assert_cmpuint (count_records_in_store (), ==, before);
  g_assert_true (gtk_revealer_get_reveal_child (page_child ("store_error_revealer")));
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_code_row")), ==, VALID_CODE);

  set_terminal_settings ();
  g_assert_false (gtk_revealer_get_reveal_child (hint));
  g_assert_false (gtk_revealer_get_reveal_child (page_child ("store_error_revealer")));
  kac_register_page_reset (get_register_page ());
}

static void
test_register_empty (void)
{
  kac_test_gui_show_page (window, "register");
  kac_register_page_reset (get_register_page ());
  select_kind (KAC_RECORD_KIND_APPLICATION);

  /* An application asks for the service and the client. */
  g_assert_true (gtk_widget_get_visible (page_child ("service_box")));
  g_assert_true (gtk_widget_get_visible (page_child ("client_box")));
  /* The e-address consultation needs neither. */
  select_kind (KAC_RECORD_KIND_CONSULTATION_EADDRESS);
  g_assert_false (gtk_widget_get_visible (page_child ("service_box")));
  g_assert_false (gtk_widget_get_visible (page_child ("client_box")));
  select_kind (KAC_RECORD_KIND_APPLICATION);

  /* The catalogue is the sample one until the central system provides the real one. */
  g_assert_true (gtk_widget_get_visible (page_child ("sample_label")));
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (page_child ("notes_view")),
                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                       page_child ("notes_label"), NULL);

  kac_test_gui_save_screenshot (GTK_WIDGET (window), "register-empty");
}

static void
test_save_application (void)
{
  g_autofree char *uuid = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  KacQueuePage *queue = get_queue_page ();
  KacQueueRow *row;
  guint position;

  kac_test_gui_show_page (window, "register");
  fill_application (VALID_CODE);
  uuid = save_and_get_uuid ();

  record = kac_store_lookup_record (get_store (), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_APPLICATION);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
  g_assert_cmpstr (kac_record_get_client_code (record), ==, VALID_CODE);
  g_assert_cmpstr (kac_record_get_client_name (record), ==, "Anna Bērziņa");
  g_assert_cmpstr (kac_record_get_clerk (record), ==, "Līga Ozola");
  g_assert_cmpstr (kac_record_get_centre_id (record), ==, "KAC-0042");
  g_assert_cmpint (kac_record_get_satisfaction (record), ==, 5);
  g_assert_nonnull (kac_record_get_service_code (record));

  /* The form is ready for the next client: kind kept, the rest cleared, focus at the top. */
  g_assert_cmpuint (adw_combo_row_get_selected (page_child ("kind_row")), ==, KAC_RECORD_KIND_APPLICATION);
  g_assert_cmpstr (gtk_editable_get_text (page_child ("service_entry")), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_code_row")), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_name_row")), ==, "");
  g_assert_true (gtk_toggle_button_get_active (page_child ("satisfaction_0")));
  g_assert_true (focus_is_in (page_child ("kind_row")));

  /* The queue page lists it with the code masked, and nowhere in clear. */
  kac_test_gui_show_page (window, "queue");
  position = find_position (kac_queue_page_get_model (queue), uuid);
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  masked = kac_record_dup_masked_client_code (record);
  g_assert_cmpstr (masked, ==, "161175-*****");
  kac_test_run_for (300);
  row = kac_test_gui_find_queue_row (GTK_WIDGET (queue), uuid);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (gtk_label_get_label (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW,
                                                                     "details_label")),
                            "161175-*****"));
  assert_no_label_shows (GTK_WIDGET (window), VALID_CODE_TAIL);

  /* The queue badge counts what waits to be sent. */
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (kac_test_gui_child (window, KAC_TYPE_WINDOW,
                                                                             "queue_stack_page")),
                    ==, kac_store_get_n_queued (get_store ()));
  g_assert_cmpuint (kac_store_get_n_queued (get_store ()), >=, 1);
}

static void
test_invalid_code (void)
{
  guint before = count_records_in_store ();

  kac_test_gui_show_page (window, "register");
  fill_application (IMPOSSIBLE_CODE);
  save_form ();

  g_assert_cmpuint (count_records_in_store (), ==, before);
  assert_field_error (page_child ("client_code_row"), "client_error_label");
  /* Nothing the clerk typed is lost. */
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_code_row")), ==, IMPOSSIBLE_CODE);
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_name_row")), ==, "Anna Bērziņa");
  g_assert_true (gtk_toggle_button_get_active (page_child ("satisfaction_5")));

  kac_test_gui_save_screenshot (GTK_WIDGET (window), "register-error");

  /* Typing clears the mark; leaving the field checks the code again at once. The page sees
   * the field left through a focus controller, which follows the keyboard focus only while the
   * window is active: had another window on the display taken the focus meanwhile, the field
   * would count as left already and moving the focus on would go unseen. So the window is made
   * active first, the focus still in the field, and nothing runs the main loop until the focus
   * has moved. */
  kac_test_gui_make_active (GTK_WINDOW (window));
  g_assert_true (focus_is_in (page_child ("client_code_row")));
  g_assert_true (gtk_widget_has_focus (gtk_root_get_focus (GTK_ROOT (window))));
  gtk_editable_set_text (page_child ("client_code_row"), "161175-1999");
  g_assert_false (gtk_widget_has_css_class (page_child ("client_code_row"), "error"));
  gtk_widget_grab_focus (page_child ("client_name_row"));
  g_assert_true (focus_is_in (page_child ("client_name_row")));
  kac_test_run_for (50);
  g_assert_true (gtk_widget_has_css_class (page_child ("client_code_row"), "error"));
  g_assert_true (gtk_widget_get_visible (page_child ("client_error_label")));

  /* Fixing the code clears the mark and the save goes through. */
  gtk_editable_set_text (page_child ("client_code_row"), VALID_CODE);
  g_assert_false (gtk_widget_has_css_class (page_child ("client_code_row"), "error"));
  g_free (save_and_get_uuid ());
}

static void
test_missing_service (void)
{
  guint before = count_records_in_store ();

  kac_test_gui_show_page (window, "register");
  kac_register_page_reset (get_register_page ());
  select_kind (KAC_RECORD_KIND_APPLICATION);
  gtk_editable_set_text (page_child ("client_code_row"), VALID_CODE);
  gtk_editable_set_text (page_child ("client_name_row"), "Jānis Kalniņš");
  save_form ();

  g_assert_cmpuint (count_records_in_store (), ==, before);
  assert_field_error (page_child ("service_entry"), "service_error_label");
  kac_register_page_reset (get_register_page ());
}

static void
test_notes_limit (void)
{
  g_autofree char *long_notes = g_strnfill (KAC_RECORD_NOTES_MAX_CHARS + 1, 'a');
  GtkLabel *counter = page_child ("notes_counter");
  guint before = count_records_in_store ();

  kac_test_gui_show_page (window, "register");
  kac_register_page_reset (get_register_page ());
  select_kind (KAC_RECORD_KIND_INFORMATION);
  type_and_pick_service ("berna kopsanas", "berna kopsanas");
  set_notes (long_notes);

  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (counter), "error"));
  if (g_str_equal (kac_test_gui_get_language (), "en"))
    g_assert_cmpstr (gtk_label_get_label (counter), ==, "4,001 / 4,000");

  save_form ();
  g_assert_cmpuint (count_records_in_store (), ==, before);
  assert_field_error (page_child ("notes_view"), "notes_error_label");

  /* Back within the limit the counter calms down and the save works. */
  set_notes ("Izskaidroju, kā pieteikties pabalstam portālā.");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (counter), "error"));
  g_free (save_and_get_uuid ());
}

static void
test_undo (void)
{
  g_autofree char *uuid = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  guint queued;

  kac_test_gui_show_page (window, "register");
  select_kind (KAC_RECORD_KIND_QUESTION);
  type_and_pick_service ("vid", "");
  set_notes ("Jautājums par nodokļu atmaksu.");
  uuid = save_and_get_uuid ();
  queued = kac_store_get_n_queued (get_store ());

  /* What the toast's Undo button does. */
  toast = _kac_window_get_last_toast (window);
  gtk_widget_activate_action_variant (GTK_WIDGET (window),
                                      adw_toast_get_action_name (toast),
                                      adw_toast_get_action_target_value (toast));

  record = kac_store_lookup_record (get_store (), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_WITHDRAWN);
  g_assert_cmpuint (kac_store_get_n_queued (get_store ()), ==, queued - 1);
  g_assert_cmpstr (adw_toast_get_title (_kac_window_get_last_toast (window)), ==,
                   _("Registration withdrawn"));
}

static void
test_correction (void)
{
  g_autofree char *uuid = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  KacQueuePage *queue = get_queue_page ();
  GListModel *model = kac_queue_page_get_model (queue);
  guint position, count;

  kac_test_gui_show_page (window, "register");
  select_kind (KAC_RECORD_KIND_COMPLAINT);
  type_and_pick_service ("nva", "");
  set_notes ("Klients sūdzas par garo rindu.");
  adw_combo_row_set_selected (page_child ("channel_row"), KAC_CHANNEL_PHONE);
  uuid = save_and_get_uuid ();
  count = count_records_in_store ();

  /* The clerk opens it from the queue (Enter or double click on the row). */
  kac_test_gui_show_page (window, "queue");
  position = find_position (model, uuid);
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  g_signal_emit_by_name (kac_test_gui_child (queue, KAC_TYPE_QUEUE_PAGE, "queue_list"), "activate", position);

  g_assert_cmpstr (visible_page (), ==, "register");
  g_assert_true (kac_register_page_is_correcting (get_register_page ()));
  g_assert_true (gtk_revealer_get_reveal_child (page_child ("correction_revealer")));
  g_assert_cmpuint (adw_combo_row_get_selected (page_child ("kind_row")), ==, KAC_RECORD_KIND_COMPLAINT);
  g_assert_cmpuint (adw_combo_row_get_selected (page_child ("channel_row")), ==, KAC_CHANNEL_PHONE);

  set_notes ("Klients sūdzas par garo rindu; atbilde nosūtīta e-pastā.");
  save_form ();

  g_assert_cmpuint (count_records_in_store (), ==, count);
  g_assert_false (kac_register_page_is_correcting (get_register_page ()));
  g_assert_cmpstr (adw_toast_get_title (_kac_window_get_last_toast (window)), ==, _("Correction saved"));
  g_assert_cmpstr (visible_page (), ==, "queue");

  record = kac_store_lookup_record (get_store (), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_notes (record), ==, "Klients sūdzas par garo rindu; atbilde nosūtīta e-pastā.");
  g_assert_cmpint (kac_record_get_channel (record), ==, KAC_CHANNEL_PHONE);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
}

static void
test_stale_service (void)
{
  g_autoptr(KacService) old = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(KacRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *picked;

  /* A registration made from an older catalogue, whose service has since been dropped. */
  old = kac_service_new ("VSAA-ZUDIS-1", "VSAA", "Valsts sociālās apdrošināšanas aģentūra",
                         "Atcelts pabalsts", "Discontinued benefit", NULL, TRUE);
  record = kac_record_new (KAC_RECORD_KIND_INFORMATION);
  kac_record_set_service (record, old);
  kac_record_set_clerk (record, "Līga Ozola");
  kac_record_set_centre_id (record, "KAC-0042");
  g_assert_true (kac_store_save_record (get_store (), record, &error));
  g_assert_no_error (error);

  kac_register_page_edit_record (get_register_page (), record);
  kac_test_gui_show_page (window, "register");
  picked = page_child ("picked_box");
  g_assert_true (gtk_widget_has_css_class (picked, "stale"));
  g_assert_true (gtk_widget_get_visible (page_child ("service_error_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (page_child ("picked_title")), "Atcelts pabalsts"));

  /* Saving without choosing another service is refused with the message at the service. */
  save_form ();
  assert_field_error (page_child ("service_entry"), "service_error_label");
  stored = kac_store_lookup_record (get_store (), kac_record_get_uuid (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_service_code (stored), ==, "VSAA-ZUDIS-1");
  g_clear_object (&stored);

  kac_test_gui_save_screenshot (GTK_WIDGET (window), "register-stale-service");

  /* Choosing a current service fixes it. */
  type_and_pick_service ("berna kopsanas", "berna kopsanas");
  g_assert_false (gtk_widget_has_css_class (picked, "stale"));
  save_form ();
  g_assert_false (kac_register_page_is_correcting (get_register_page ()));
  stored = kac_store_lookup_record (get_store (), kac_record_get_uuid (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_service_code (stored), !=, "VSAA-ZUDIS-1");
  g_assert_nonnull (kac_catalog_lookup (kac_application_get_catalog (app),
                                        kac_record_get_service_code (stored)));
}

static void
test_withdraw_from_queue (void)
{
  g_autofree char *uuid = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  kac_test_gui_show_page (window, "register");
  select_kind (KAC_RECORD_KIND_CONSULTATION_EADDRESS);
  set_notes ("Palīdzēju aktivizēt e-adresi.");
  uuid = save_and_get_uuid ();

  kac_test_gui_show_page (window, "queue");
  gtk_widget_activate_action (GTK_WIDGET (get_queue_page ()), "queue.withdraw", "s", uuid);
  dialog = (AdwMessageDialog *) kac_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);

  /* "Keep it" changes nothing. */
  adw_message_dialog_response (dialog, "cancel");
  kac_test_run_for (100);
  record = kac_store_lookup_record (get_store (), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
  g_clear_object (&record);

  gtk_widget_activate_action (GTK_WIDGET (get_queue_page ()), "queue.withdraw", "s", uuid);
  dialog = (AdwMessageDialog *) kac_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "withdraw");
  kac_test_run_for (100);
  record = kac_store_lookup_record (get_store (), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_WITHDRAWN);
}

static void
test_queue_search (void)
{
  KacQueuePage *queue = get_queue_page ();
  GListModel *model = kac_queue_page_get_model (queue);
  GtkEditable *search = kac_test_gui_child (queue, KAC_TYPE_QUEUE_PAGE, "search_entry");
  GtkStack *stack = kac_test_gui_child (queue, KAC_TYPE_QUEUE_PAGE, "content_stack");
  guint all = count_records_in_store ();

  kac_test_gui_show_page (window, "queue");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "queue");

  /* The kind label, case and diacritics aside. */
  gtk_editable_set_text (search, kac_record_kind_get_label (KAC_RECORD_KIND_COMPLAINT));
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* The client's name finds the record; the personal code never does. */
  gtk_editable_set_text (search, "anna berzina");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  gtk_editable_set_text (search, VALID_CODE_TAIL);
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-results");

  gtk_editable_set_text (search, "");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");

  /* Looking further back keeps today's records. */
  gtk_drop_down_set_selected (kac_test_gui_child (queue, KAC_TYPE_QUEUE_PAGE, "since_dropdown"), 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);
  gtk_drop_down_set_selected (kac_test_gui_child (queue, KAC_TYPE_QUEUE_PAGE, "since_dropdown"), 0);
}

static void
test_preferences (void)
{
  KacPreferencesWindow *prefs = kac_preferences_window_new (GTK_WINDOW (window));
  AdwComboRow *kind_row = kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW, "centre_kind_row");
  AdwComboRow *channel_row = kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW, "default_channel_row");

  gtk_window_present (GTK_WINDOW (prefs));

  g_assert_cmpstr (gtk_editable_get_text (kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW,
                                                              "clerk_name_row")),
                   ==, "Līga Ozola");

  g_settings_set_enum (settings, "centre-kind", KAC_CENTRE_KIND_REGIONAL);
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, KAC_CENTRE_KIND_REGIONAL);
  adw_combo_row_set_selected (channel_row, KAC_CHANNEL_PHONE);
  g_assert_cmpint (g_settings_get_enum (settings, "default-channel"), ==, KAC_CHANNEL_PHONE);
  gtk_editable_set_text (kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW, "centre_name_row"),
                         "Siguldas novada VPVKAC");
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (kac_test_gui_child (window, KAC_TYPE_WINDOW,
                                                                           "switcher_title")),
                   ==, "Siguldas novada VPVKAC");

  kac_test_gui_save_screenshot (GTK_WIDGET (prefs), "preferences");

  kac_test_gui_destroy_and_finalize (GTK_WINDOW (prefs));
  g_settings_reset (settings, "default-channel");
}

static void
test_store_error (void)
{
  g_autofree char *blocker = g_build_filename (tmp_dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "registrations.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  KacWindow *broken;
  AdwStatusPage *status;

  /* A file where the profile folder should be: the store cannot be created. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  store = kac_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN);

  broken = kac_window_new (GTK_APPLICATION (app), NULL, error, kac_application_get_catalog (app));
  gtk_window_present (GTK_WINDOW (broken));
  kac_test_run_for (100);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (kac_test_gui_child (broken, KAC_TYPE_WINDOW, "main_stack")),
                   ==, "store-error");
  status = kac_test_gui_child (broken, KAC_TYPE_WINDOW, "store_error_page");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), error->message));
  g_assert_false (gtk_widget_get_mapped (kac_test_gui_child (broken, KAC_TYPE_WINDOW, "register_page")));

  kac_test_gui_save_screenshot (GTK_WIDGET (broken), "store-error");

  /* Nothing was written over the blocking file. */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (blocker, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "x");
  }

  kac_test_gui_destroy_and_finalize (GTK_WINDOW (broken));
}

static void
close_toplevel (GType type)
{
  GtkWindow *found = kac_test_gui_find_toplevel (type);

  g_assert_nonnull (found);
  gtk_window_destroy (found);
  kac_test_run_for (50);
  g_assert_null (kac_test_gui_find_toplevel (type));
}

static void
test_menus (void)
{
  GtkApplication *application = GTK_APPLICATION (app);
  g_auto(GStrv) accels = NULL;

  /* What the primary menu offers, each with its shortcut. */
  accels = gtk_application_get_accels_for_action (application, "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (application, "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (application, "win.show-help-overlay");
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  kac_test_run_for (100);
  close_toplevel (KAC_TYPE_PREFERENCES_WINDOW);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  kac_test_run_for (100);
  close_toplevel (ADW_TYPE_ABOUT_WINDOW);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  kac_test_run_for (100);
  g_assert_nonnull (kac_test_gui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  kac_test_gui_save_screenshot (GTK_WIDGET (kac_test_gui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)), "shortcuts");
  close_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
}

/* In the Latvian run the window must really be Latvian, once po/lv.po is built. */
static void
test_translated (void)
{
  g_autofree char *mo = NULL;
  const char *localedir = g_getenv ("KAC_LOCALEDIR");

  if (!g_str_equal (kac_test_gui_get_language (), "lv"))
    {
      g_test_skip ("The English run has nothing to translate");
      return;
    }

  mo = g_build_filename (localedir != NULL ? localedir : LOCALEDIR,
                         "lv", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No Latvian catalogue built yet (po/lv.po)");
      return;
    }

  /* A .mo file counts its strings at offset 8; a catalogue with only its header is a
   * placeholder, not a translation that forgot these strings. */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    guint32 n_strings;

    g_assert_true (g_file_get_contents (mo, &contents, &length, NULL));
    g_assert_cmpuint (length, >=, 12);
    memcpy (&n_strings, contents + 8, sizeof n_strings);
    if (n_strings <= 1)
      {
        g_test_skip ("The Latvian catalogue is still empty (po/lv.po has only its header)");
        return;
      }
  }

  g_assert_cmpstr (_("Registration saved"), !=, "Registration saved");
  g_assert_cmpstr (_("_Save Registration"), !=, "_Save Registration");
  g_assert_cmpstr (adw_view_stack_page_get_title (kac_test_gui_child (window, KAC_TYPE_WINDOW,
                                                                     "register_stack_page")),
                   !=, "Register");
}

/* After the application has closed its store, the file holds every saved registration. */
static void
check_store_file (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < saved_uuids->len; i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT state FROM records WHERE uuid = ?", -1, &stmt, NULL),
                       ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (saved_uuids, i), -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

static void
run_tests_cb (GApplication *application,
              int          *status)
{
  g_autofree char *data_home = g_build_filename (tmp_dir, "data", NULL);

  g_assert_nonnull (get_store ());
  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  store_path = g_strdup (kac_store_get_path (get_store ()));
  g_assert_true (g_str_has_prefix (store_path, data_home));
  kac_test_run_for (300);

  *status = g_test_run ();

  kac_test_gui_destroy_and_finalize (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status = 1;

  /* Before anything asks GLib for the user data dir, which it caches. */
  tmp_dir = g_dir_make_tmp ("kac-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* --language=lv runs everything in Latvian. */
  kac_test_gui_init (&argc, &argv);

  settings = g_settings_new (SETTINGS_SCHEMA_ID);
  set_terminal_settings ();
  saved_uuids = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/window/setup-hint", test_setup_hint);
  g_test_add_func ("/window/register-empty", test_register_empty);
  g_test_add_func ("/window/save-application", test_save_application);
  g_test_add_func ("/window/invalid-personal-code", test_invalid_code);
  g_test_add_func ("/window/missing-service", test_missing_service);
  g_test_add_func ("/window/notes-over-limit", test_notes_limit);
  g_test_add_func ("/window/undo", test_undo);
  g_test_add_func ("/window/correction", test_correction);
  g_test_add_func ("/window/stale-service", test_stale_service);
  g_test_add_func ("/window/withdraw-from-queue", test_withdraw_from_queue);
  g_test_add_func ("/window/queue-search", test_queue_search);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/store-error", test_store_error);
  g_test_add_func ("/window/menus", test_menus);
  g_test_add_func ("/window/translated", test_translated);

  /* The real application life: startup opens the store in XDG_DATA_HOME and loads the sample
   * catalogue, activate opens the window, the tests run, and shutdown closes the store. Not
   * unique, so that the English and Latvian runs may share a D-Bus session. */
  app = kac_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_tests_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_finalize_object (app);
  g_clear_object (&settings);

  if (status == 0)
    check_store_file (store_path);
  g_free (store_path);

  g_ptr_array_unref (saved_uuids);
  kac_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}
