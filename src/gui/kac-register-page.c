/* kac-register-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The registration form: the clerk's core loop. Built for the keyboard: type a few letters of
 * the service, move with the arrows, Enter picks it, Tab on, Ctrl+Enter saves. A problem is
 * shown next to the field it concerns and the field gets the focus; nothing the clerk typed is
 * cleared until the store has durably saved it.
 */
#define G_LOG_DOMAIN "kac-register-page"

#include "config.h"

#include "kac-register-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kac-clock.h"
#include "kac-personal-code.h"
#include "kac-presence.h"
#include "kac-queue-row.h"
#include "kac-store-materials.h"

#define N_SATISFACTION_BUTTONS 6

struct _KacRegisterPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwEntryRow        *client_code_row;
  GtkLabel           *client_error_label;
  AdwPreferencesGroup *client_group;
  GtkBox             *client_box;
  AdwEntryRow        *client_name_row;
  AdwComboRow        *channel_row;
  GtkLabel           *correction_label;
  GtkRevealer        *correction_revealer;
  AdwComboRow        *kind_row;
  GtkLabel           *notes_counter;
  GtkLabel           *notes_error_label;
  GtkLabel           *notes_label;
  GtkFrame           *notes_frame;
  GtkTextView        *notes_view;
  GtkBox             *picked_box;
  GtkImage           *picked_icon;
  GtkLabel           *picked_subtitle;
  GtkLabel           *picked_title;
  GtkLabel           *presence_label;
  GtkRevealer        *presence_revealer;
  GtkLabel           *sample_label;
  GtkToggleButton    *satisfaction_0;
  GtkToggleButton    *satisfaction_1;
  GtkToggleButton    *satisfaction_2;
  GtkToggleButton    *satisfaction_3;
  GtkToggleButton    *satisfaction_4;
  GtkToggleButton    *satisfaction_5;
  GtkLabel           *satisfaction_error_label;
  GtkScrolledWindow  *scrolled_window;
  GtkBox             *service_box;
  GtkSearchEntry     *service_entry;
  GtkLabel           *service_error_label;
  GtkLabel           *service_label;
  GtkListView        *service_list;
  GtkLabel           *store_error_label;
  GtkRevealer        *store_error_revealer;
  GtkLabel           *store_error_title;

  KacStore           *store;
  KacCatalog         *catalog;
  GSettings          *settings;
  GtkSingleSelection *service_selection;

  /* The service the clerk picked, or NULL. */
  KacService         *service;
  /* The record being corrected, or NULL for a new registration. */
  KacRecord          *editing;
  /* The corrected record's service is no longer in the catalogue and was not replaced yet. */
  gboolean            service_stale;
  /* Brings a field's message into view once the form has been laid out again. */
  guint               reveal_message_id;
  GtkWidget          *message_to_reveal;
};

G_DEFINE_FINAL_TYPE (KacRegisterPage, kac_register_page, GTK_TYPE_WIDGET)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static GtkToggleButton *
get_satisfaction_button (KacRegisterPage *self,
                         int              value)
{
  GtkToggleButton *buttons[N_SATISFACTION_BUTTONS] = {
    self->satisfaction_0, self->satisfaction_1, self->satisfaction_2,
    self->satisfaction_3, self->satisfaction_4, self->satisfaction_5,
  };

  g_assert (value >= 0 && value < N_SATISFACTION_BUTTONS);

  return buttons[value];
}

static int
get_satisfaction (KacRegisterPage *self)
{
  for (int i = 1; i < N_SATISFACTION_BUTTONS; i++)
    {
      if (gtk_toggle_button_get_active (get_satisfaction_button (self, i)))
        return i;
    }

  return 0;
}

static char *
get_notes (KacRegisterPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* "4000" → "4,000" (the separator is translated: Latvian uses a space). */
static char *
format_count (int count)
{
  g_autofree char *digits = g_strdup_printf ("%d", count);
  /* Translators: the thousands separator in counts such as "1,234 / 4,000"; Latvian uses a
   * no-break space ( ). */
  const char *separator = C_("thousands separator", ",");
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0 && g_ascii_isdigit (digits[i - 1]))
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

static KacRecordKind
get_kind (KacRegisterPage *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected < KAC_RECORD_KIND_N_VALUES ? (KacRecordKind) selected : KAC_RECORD_KIND_APPLICATION;
}

static KacChannel
get_channel (KacRegisterPage *self)
{
  guint selected = adw_combo_row_get_selected (self->channel_row);

  return selected < KAC_CHANNEL_N_VALUES ? (KacChannel) selected : KAC_CHANNEL_IN_PERSON;
}

static void
set_field_invalid (GtkWidget *widget,
                   gboolean   invalid)
{
  if (invalid)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
show_field_message (GtkLabel   *label,
                    const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static gboolean
reveal_message_cb (gpointer user_data)
{
  KacRegisterPage *self = user_data;
  GtkWidget *content = gtk_scrolled_window_get_child (self->scrolled_window);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  graphene_rect_t bounds;
  double value = gtk_adjustment_get_value (adjustment);
  double page_size = gtk_adjustment_get_page_size (adjustment);

  self->reveal_message_id = 0;

  if (self->message_to_reveal != NULL && content != NULL &&
      gtk_widget_get_visible (self->message_to_reveal) &&
      gtk_widget_compute_bounds (self->message_to_reveal, content, &bounds))
    {
      double bottom = bounds.origin.y + bounds.size.height;

      if (bottom > value + page_size)
        gtk_adjustment_set_value (adjustment, bottom - page_size + 12);
      else if (bounds.origin.y < value)
        gtk_adjustment_set_value (adjustment, bounds.origin.y - 12);
    }

  g_clear_object (&self->message_to_reveal);
  return G_SOURCE_REMOVE;
}

/* A message under a field at the bottom of the form would otherwise be cut off by the window's
 * edge; the idle runs after the next layout, when the message has its place. */
static void
reveal_message (KacRegisterPage *self,
                GtkWidget       *message)
{
  g_set_object (&self->message_to_reveal, message);
  if (self->reveal_message_id == 0)
    self->reveal_message_id = g_idle_add (reveal_message_cb, self);
}

static void
clear_store_error (KacRegisterPage *self)
{
  gtk_revealer_set_reveal_child (self->store_error_revealer, FALSE);
}

static void
show_store_error (KacRegisterPage *self,
                  const char      *title,
                  const char      *message)
{
  gtk_label_set_label (self->store_error_title, title);
  gtk_label_set_label (self->store_error_label, message);
  gtk_revealer_set_reveal_child (self->store_error_revealer, TRUE);
  /* Screen readers announce the problem although the focus stays in the form. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->store_error_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                  -1);
}

static void
clear_field_errors (KacRegisterPage *self)
{
  set_field_invalid (GTK_WIDGET (self->service_entry), FALSE);
  set_field_invalid (GTK_WIDGET (self->client_name_row), FALSE);
  set_field_invalid (GTK_WIDGET (self->client_code_row), FALSE);
  set_field_invalid (GTK_WIDGET (self->notes_frame), FALSE);
  set_field_invalid (GTK_WIDGET (self->notes_view), FALSE);
  set_field_invalid (GTK_WIDGET (self->satisfaction_0), FALSE);
  show_field_message (self->service_error_label, NULL);
  show_field_message (self->client_error_label, NULL);
  show_field_message (self->notes_error_label, NULL);
  show_field_message (self->satisfaction_error_label, NULL);
}

/* Marks the field @error names, shows its message beside it and puts the focus there. */
static void
show_record_error (KacRegisterPage *self,
                   const GError    *error)
{
  GtkWidget *field = NULL;
  GtkLabel *label = NULL;

  switch (error->code)
    {
    case KAC_RECORD_ERROR_SERVICE:
      field = GTK_WIDGET (self->service_entry);
      label = self->service_error_label;
      break;
    case KAC_RECORD_ERROR_CLIENT_NAME:
      field = GTK_WIDGET (self->client_name_row);
      label = self->client_error_label;
      break;
    case KAC_RECORD_ERROR_CLIENT_CODE:
      field = GTK_WIDGET (self->client_code_row);
      label = self->client_error_label;
      break;
    case KAC_RECORD_ERROR_NOTES:
      set_field_invalid (GTK_WIDGET (self->notes_frame), TRUE);
      field = GTK_WIDGET (self->notes_view);
      label = self->notes_error_label;
      break;
    case KAC_RECORD_ERROR_SATISFACTION:
    default:
      field = GTK_WIDGET (self->satisfaction_0);
      label = self->satisfaction_error_label;
      break;
    }

  set_field_invalid (field, TRUE);
  show_field_message (label, error->message);
  gtk_widget_grab_focus (field);
  reveal_message (self, GTK_WIDGET (label));
}

static void
update_picked_service (KacRegisterPage *self)
{
  GtkWidget *box = GTK_WIDGET (self->picked_box);

  gtk_widget_remove_css_class (box, "stale");
  gtk_widget_remove_css_class (GTK_WIDGET (self->picked_title), "dim-label");

  if (self->service != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %1$s is an institution's name, %2$s its short name, %3$s the service code. */
      subtitle = g_strdup_printf (_("%1$s (%2$s) · code %3$s"),
                                  kac_service_get_institution_name (self->service),
                                  kac_service_get_institution_code (self->service),
                                  kac_service_get_code (self->service));
      gtk_image_set_from_icon_name (self->picked_icon, "emblem-ok-symbolic");
      gtk_label_set_label (self->picked_title, kac_service_get_name (self->service));
      gtk_label_set_label (self->picked_subtitle, subtitle);
    }
  else if (self->service_stale && self->editing != NULL)
    {
      const char *name = kac_record_get_service_name (self->editing);
      g_autofree char *title = NULL;

      /* Translators: %1$s is a service name, %2$s its code. */
      title = g_strdup_printf (_("%1$s (code %2$s)"),
                               name != NULL ? name : "",
                               kac_record_get_service_code (self->editing));
      gtk_widget_add_css_class (box, "stale");
      gtk_image_set_from_icon_name (self->picked_icon, "dialog-warning-symbolic");
      gtk_label_set_label (self->picked_title, title);
      gtk_label_set_label (self->picked_subtitle,
                           _("This service is no longer in the catalogue. Choose the right one from the list above."));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->picked_title), "dim-label");
      gtk_image_set_from_icon_name (self->picked_icon, "edit-find-symbolic");
      gtk_label_set_label (self->picked_title, _("No service chosen yet"));
      gtk_label_set_label (self->picked_subtitle,
                           _("Type above, move through the list with ↓ and ↑, choose with Enter."));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picked_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->picked_title),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->picked_subtitle),
                                  -1);
}

/* MK 401 §20.8: in a regional or national centre an institution's client is registered here
 * only when its specialist cannot serve them now, so the clerk must see before saving that the
 * specialist is in. Read from the store each time: notices change seldom and the list is short. */
static void
update_presence_hint (KacRegisterPage *self)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  KacCentreKind kind;

  if (self->service != NULL && self->store != NULL && self->settings != NULL)
    {
      kind = (KacCentreKind) g_settings_get_enum (self->settings, "centre-kind");
      if (kind != KAC_CENTRE_KIND_COUNTY)
        notices = kac_store_list_notices (self->store, &error);
      if (error != NULL)
        g_message ("Notices cannot be read for the presence hint: %s", error->message);
      if (notices != NULL)
        {
          now = kac_clock_dup_now ();
          hint = kac_presence_dup_hint (kind, kac_service_get_institution_code (self->service),
                                        notices, now);
        }
    }

  if (hint != NULL)
    gtk_label_set_label (self->presence_label, hint);
  gtk_revealer_set_reveal_child (self->presence_revealer, hint != NULL);
}

static void
update_kind_fields (KacRegisterPage *self)
{
  KacRecordKind kind = get_kind (self);
  KacRequirement service_req = kac_record_kind_get_service_requirement (kind);
  KacRequirement client_req = kac_record_kind_get_client_requirement (kind);

  gtk_widget_set_visible (GTK_WIDGET (self->service_box), service_req != KAC_REQUIREMENT_NONE);
  gtk_label_set_text_with_mnemonic (self->service_label,
                                    service_req == KAC_REQUIREMENT_OPTIONAL
                                    ? _("_Service (optional)") : _("_Service"));

  gtk_widget_set_visible (GTK_WIDGET (self->client_box), client_req != KAC_REQUIREMENT_NONE);
  adw_preferences_group_set_title (self->client_group,
                                   client_req == KAC_REQUIREMENT_OPTIONAL
                                   ? _("Client (optional)") : _("Client"));
  adw_preferences_group_set_description (self->client_group,
                                         client_req == KAC_REQUIREMENT_OPTIONAL
                                         ? _("Fill in when the client wants an answer.")
                                         : NULL);
}

static void
run_service_search (KacRegisterPage *self)
{
  g_autoptr(GListModel) results = NULL;

  if (self->catalog == NULL)
    return;

  results = kac_catalog_search (self->catalog,
                                gtk_editable_get_text (GTK_EDITABLE (self->service_entry)));
  gtk_single_selection_set_model (self->service_selection, results);
  if (g_list_model_get_n_items (results) > 0)
    {
      gtk_single_selection_set_selected (self->service_selection, 0);
      gtk_widget_activate_action (GTK_WIDGET (self->service_list), "list.scroll-to-item", "u", 0);
    }
}

static void
pick_service (KacRegisterPage *self,
              KacService      *service,
              gboolean         move_on)
{
  g_set_object (&self->service, service);
  if (service != NULL)
    {
      self->service_stale = FALSE;
      set_field_invalid (GTK_WIDGET (self->service_entry), FALSE);
      show_field_message (self->service_error_label, NULL);
    }
  update_picked_service (self);
  update_presence_hint (self);

  if (move_on && service != NULL)
    {
      if (gtk_widget_get_visible (GTK_WIDGET (self->client_box)))
        gtk_widget_grab_focus (GTK_WIDGET (self->client_name_row));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->notes_view));
    }
}

static void
set_notes (KacRegisterPage *self,
           const char      *notes)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            notes != NULL ? notes : "", -1);
}

static void
set_channel_from_settings (KacRegisterPage *self)
{
  if (self->settings != NULL)
    adw_combo_row_set_selected (self->channel_row,
                                (guint) g_settings_get_enum (self->settings, "default-channel"));
}

static void
set_correcting (KacRegisterPage *self,
                KacRecord       *record)
{
  g_set_object (&self->editing, record);

  if (record != NULL)
    {
      g_autofree char *time = kac_queue_row_format_time (kac_record_get_created_at (record));
      g_autofree char *text = NULL;

      /* Translators: %s is the time the registration was made, e.g. "10:42". */
      text = g_strdup_printf (_("Correcting the registration of %s. Save replaces it in the queue."), time);
      gtk_label_set_label (self->correction_label, text);
    }
  gtk_revealer_set_reveal_child (self->correction_revealer, record != NULL);
}

/* The form as a record: a new one, or a copy of the corrected one with the form's values. */
static KacRecord *
build_record (KacRegisterPage *self)
{
  KacRecordKind kind = get_kind (self);
  g_autoptr(KacRecord) record = NULL;
  g_autofree char *notes = NULL;
  KacRequirement service_req = kac_record_kind_get_service_requirement (kind);
  KacRequirement client_req = kac_record_kind_get_client_requirement (kind);

  if (self->editing != NULL)
    {
      record = kac_record_copy (self->editing);

      /* A registration the central system refused is sent again as this terminal is set up
       * now: a refusal for naming another centre is fixed by fixing the centre (or by signing
       * in, which sets it). */
      if (kac_record_get_state (record) == KAC_RECORD_STATE_REJECTED)
        {
          g_autofree char *centre_id = g_settings_get_string (self->settings, "centre-id");

          if (*g_strstrip (centre_id) != '\0')
            kac_record_set_centre_id (record, centre_id);
        }
    }
  else
    {
      g_autofree char *clerk = g_settings_get_string (self->settings, "clerk-name");
      g_autofree char *centre_id = g_settings_get_string (self->settings, "centre-id");

      record = kac_record_new (kind);
      kac_record_set_clerk (record, g_strstrip (clerk));
      kac_record_set_centre_id (record, g_strstrip (centre_id));
    }

  kac_record_set_kind (record, kind);

  /* A stale service stays on the record so that validation against the catalogue names it. */
  if (service_req == KAC_REQUIREMENT_NONE)
    kac_record_set_service (record, NULL);
  else if (self->service != NULL)
    kac_record_set_service (record, self->service);
  else if (!(self->service_stale && self->editing != NULL))
    kac_record_set_service (record, NULL);

  kac_record_set_channel (record, get_channel (self));

  if (client_req == KAC_REQUIREMENT_NONE)
    {
      kac_record_set_client_name (record, NULL);
      kac_record_set_client_code (record, NULL);
    }
  else
    {
      g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_name_row)));
      g_autofree char *code = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_code_row)));

      g_strstrip (name);
      g_strstrip (code);
      kac_record_set_client_name (record, *name != '\0' ? name : NULL);
      kac_record_set_client_code (record, *code != '\0' ? code : NULL);
    }

  notes = get_notes (self);
  kac_record_set_notes (record, *g_strstrip (notes) != '\0' ? notes : NULL);
  kac_record_set_satisfaction (record, get_satisfaction (self));

  return g_steal_pointer (&record);
}

static gboolean
check_personal_code (KacRegisterPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->client_code_row));
  g_autoptr(GError) error = NULL;

  /* An empty field is judged on save, where the kind decides whether it is required. */
  if (text == NULL || *text == '\0' || kac_personal_code_validate (text, NULL, NULL, &error))
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->client_code_row), "error"))
        {
          set_field_invalid (GTK_WIDGET (self->client_code_row), FALSE);
          show_field_message (self->client_error_label, NULL);
        }
      return TRUE;
    }

  set_field_invalid (GTK_WIDGET (self->client_code_row), TRUE);
  show_field_message (self->client_error_label, error->message);

  return FALSE;
}

/* Callbacks */

static void
kind_changed_cb (KacRegisterPage *self,
                 GParamSpec      *pspec,
                 AdwComboRow     *row)
{
  update_kind_fields (self);
}

static void
service_text_changed_cb (KacRegisterPage *self,
                         GtkEditable     *editable)
{
  /* Every keystroke searches at once: the catalogue search takes well under a millisecond, and
   * a delay would make a fast typist press Enter on stale results. */
  run_service_search (self);
}

static void
service_entry_activate_cb (KacRegisterPage *self,
                           GtkSearchEntry  *entry)
{
  KacService *service = gtk_single_selection_get_selected_item (self->service_selection);

  if (service != NULL)
    pick_service (self, service, TRUE);
}

static gboolean
service_entry_key_pressed_cb (KacRegisterPage       *self,
                              guint                  keyval,
                              guint                  keycode,
                              GdkModifierType        state,
                              GtkEventControllerKey *controller)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->service_selection));
  guint selected = gtk_single_selection_get_selected (self->service_selection);
  guint target;

  if (n_items == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      target = selected == GTK_INVALID_LIST_POSITION ? 0 : MIN (selected + 1, n_items - 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      target = selected == GTK_INVALID_LIST_POSITION || selected == 0 ? 0 : selected - 1;
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      target = selected == GTK_INVALID_LIST_POSITION ? 0 : MIN (selected + 5, n_items - 1);
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      target = selected == GTK_INVALID_LIST_POSITION || selected < 5 ? 0 : selected - 5;
      break;
    default:
      return FALSE;
    }

  gtk_single_selection_set_selected (self->service_selection, target);
  gtk_widget_activate_action (GTK_WIDGET (self->service_list), "list.scroll-to-item", "u", target);

  return TRUE;
}

static void
service_list_activate_cb (KacRegisterPage *self,
                          guint            position,
                          GtkListView     *list)
{
  g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (self->service_selection), position);

  if (service != NULL)
    pick_service (self, service, TRUE);
}

static void
setup_service_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (item, box);
}

static void
bind_service_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  KacService *service = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *details = gtk_widget_get_next_sibling (name);
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s · %s", kac_service_get_institution_code (service),
                          kac_service_get_code (service));
  gtk_label_set_label (GTK_LABEL (name), kac_service_get_name (service));
  gtk_label_set_label (GTK_LABEL (details), text);
}

static void
notes_changed_cb (KacRegisterPage *self,
                  GtkTextBuffer   *buffer)
{
  int count = gtk_text_buffer_get_char_count (buffer);
  g_autofree char *used = format_count (count);
  g_autofree char *limit = format_count (KAC_RECORD_NOTES_MAX_CHARS);
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  /* Translators: characters used of the limit in the notes, e.g. "1,234 / 4,000". */
  text = g_strdup_printf (C_("notes counter", "%1$s / %2$s"), used, limit);
  gtk_label_set_label (self->notes_counter, text);

  accessible = g_strdup_printf (ngettext ("%1$s of %2$s character used",
                                          "%1$s of %2$s characters used",
                                          count),
                                used, limit);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->notes_counter),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  if (count > KAC_RECORD_NOTES_MAX_CHARS)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->notes_counter), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->notes_counter), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->notes_counter), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->notes_counter), "dim-label");
      if (gtk_widget_is_visible (GTK_WIDGET (self->notes_error_label)))
        {
          set_field_invalid (GTK_WIDGET (self->notes_frame), FALSE);
          set_field_invalid (GTK_WIDGET (self->notes_view), FALSE);
          show_field_message (self->notes_error_label, NULL);
        }
    }
}

static void
client_name_changed_cb (KacRegisterPage *self,
                        GtkEditable     *editable)
{
  if (gtk_widget_has_css_class (GTK_WIDGET (self->client_name_row), "error"))
    {
      set_field_invalid (GTK_WIDGET (self->client_name_row), FALSE);
      show_field_message (self->client_error_label, NULL);
    }
}

static void
client_code_changed_cb (KacRegisterPage *self,
                        GtkEditable     *editable)
{
  /* Do not nag while the clerk is still typing; the check runs when the field is left. */
  if (gtk_widget_has_css_class (GTK_WIDGET (self->client_code_row), "error"))
    {
      set_field_invalid (GTK_WIDGET (self->client_code_row), FALSE);
      show_field_message (self->client_error_label, NULL);
    }
}

static void
client_code_focus_leave_cb (KacRegisterPage         *self,
                            GtkEventControllerFocus *controller)
{
  check_personal_code (self);
}

static void
settings_changed_cb (KacRegisterPage *self,
                     const char      *key,
                     GSettings       *settings)
{
  /* A clerk who fixed the centre or clerk after a refused save should not see the old message. */
  if (g_strcmp0 (key, "clerk-name") == 0 || g_strcmp0 (key, "centre-id") == 0)
    clear_store_error (self);
  else if (g_strcmp0 (key, "centre-kind") == 0)
    update_presence_hint (self);
}

/* Actions */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  KacRegisterPage *self = KAC_REGISTER_PAGE (widget);
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gboolean corrected;

  if (self->store == NULL || self->settings == NULL)
    return;

  clear_field_errors (self);
  clear_store_error (self);

  if (self->editing == NULL)
    {
      g_autofree char *clerk = g_settings_get_string (self->settings, "clerk-name");
      g_autofree char *centre_id = g_settings_get_string (self->settings, "centre-id");

      if (*g_strstrip (clerk) == '\0' || *g_strstrip (centre_id) == '\0')
        {
          show_store_error (self,
                            _("Not saved: the centre or the clerk is not set"),
                            _("Every registration carries the centre and the clerk. Open Preferences (Ctrl+,), fill them in, then save again. The form stays as it is."));
          return;
        }
    }

  record = build_record (self);

  if (!kac_record_validate (record, self->catalog, &error))
    {
      if (error->domain == KAC_RECORD_ERROR)
        show_record_error (self, error);
      else
        show_store_error (self, _("Not saved"), error->message);
      return;
    }

  if (!kac_store_save_record (self->store, record, &error))
    {
      if (error->domain == KAC_RECORD_ERROR)
        show_record_error (self, error);
      else
        {
          g_autofree char *message = NULL;

          /* Translators: %s is the store's explanation of what went wrong. */
          message = g_strdup_printf (_("%s The registration is still in the form: save again once the problem is solved, or call your administrator."),
                                     error->message);
          show_store_error (self, _("The registration was not saved"), message);
        }
      return;
    }

  corrected = self->editing != NULL;
  kac_register_page_reset (self);
  kac_register_page_focus_first (self);
  g_signal_emit (self, signals[SAVED], 0, record, corrected);
}

static void
cancel_correction_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  KacRegisterPage *self = KAC_REGISTER_PAGE (widget);

  kac_register_page_reset (self);
  kac_register_page_focus_first (self);
}

/* GObject overrides */

static void
kac_register_page_dispose (GObject *object)
{
  KacRegisterPage *self = KAC_REGISTER_PAGE (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_handle_id (&self->reveal_message_id, g_source_remove);
  g_clear_object (&self->message_to_reveal);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_REGISTER_PAGE);
  /* The template's top-level children that no field points to are still ours to unparent. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self));
       c != NULL;
       c = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (c);
  g_clear_object (&self->service_selection);
  g_clear_object (&self->service);
  g_clear_object (&self->editing);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_register_page_parent_class)->dispose (object);
}

static void
kac_register_page_class_init (KacRegisterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_register_page_dispose;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, KAC_TYPE_RECORD, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-register-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, channel_row);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, client_box);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, client_code_row);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, client_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, client_group);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, client_name_row);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, correction_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, correction_revealer);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, notes_counter);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, notes_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, notes_frame);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, picked_box);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, picked_icon);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, picked_subtitle);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, picked_title);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, presence_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, presence_revealer);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, sample_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_0);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_1);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_2);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_3);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_4);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_5);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, satisfaction_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, service_box);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, service_entry);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, service_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, service_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, service_list);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, store_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, store_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KacRegisterPage, store_error_title);

  gtk_widget_class_install_action (widget_class, "register.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "register.cancel-correction", NULL,
                                   cancel_correction_action);
}

static void
kac_register_page_init (KacRegisterPage *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Row i of each combo row is enum value i. */
  for (int i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    gtk_string_list_append (kinds, kac_record_kind_get_label ((KacRecordKind) i));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  for (int i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    gtk_string_list_append (channels, kac_channel_get_label ((KacChannel) i));
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (channels));

  self->service_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->service_selection, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_service_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_service_row_cb), NULL);
  gtk_list_view_set_factory (self->service_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->service_list, GTK_SELECTION_MODEL (self->service_selection));

  g_signal_connect_object (self->kind_row, "notify::selected",
                           G_CALLBACK (kind_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_entry, "changed",
                           G_CALLBACK (service_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_entry, "activate",
                           G_CALLBACK (service_entry_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_list, "activate",
                           G_CALLBACK (service_list_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (notes_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_name_row, "changed",
                           G_CALLBACK (client_name_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_code_row, "changed",
                           G_CALLBACK (client_code_changed_cb), self, G_CONNECT_SWAPPED);

  /* Capture phase: the arrows must move the list, not the entry's cursor. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (service_entry_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->service_entry), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave",
                           G_CALLBACK (client_code_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->client_code_row), controller);

  /* Ctrl+Enter saves from any field. In the capture phase, so that the notes' text view
   * does not take it as a line break first. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                                                          gtk_named_action_new ("register.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.save", FALSE);

  update_kind_fields (self);
  update_picked_service (self);
  notes_changed_cb (self, gtk_text_view_get_buffer (self->notes_view));
}

/* Public API */

void
kac_register_page_setup (KacRegisterPage *self,
                         KacStore        *store,
                         KacCatalog      *catalog,
                         GSettings       *settings)
{
  g_return_if_fail (KAC_IS_REGISTER_PAGE (self));
  g_return_if_fail (store == NULL || KAC_IS_STORE (store));
  g_return_if_fail (KAC_IS_CATALOG (catalog));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_set_object (&self->store, store);
  g_set_object (&self->catalog, catalog);
  g_set_object (&self->settings, settings);

  g_signal_connect_swapped (settings, "changed", G_CALLBACK (settings_changed_cb), self);

  gtk_widget_set_visible (GTK_WIDGET (self->sample_label), kac_catalog_is_sample (catalog));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.save", store != NULL);

  set_channel_from_settings (self);
  run_service_search (self);
}

void
kac_register_page_edit_record (KacRegisterPage *self,
                               KacRecord       *record)
{
  const char *code;
  KacService *service = NULL;

  g_return_if_fail (KAC_IS_REGISTER_PAGE (self));
  g_return_if_fail (KAC_IS_RECORD (record));

  kac_register_page_reset (self);
  set_correcting (self, record);

  adw_combo_row_set_selected (self->kind_row, kac_record_get_kind (record));
  adw_combo_row_set_selected (self->channel_row, kac_record_get_channel (record));

  code = kac_record_get_service_code (record);
  if (code != NULL && *code != '\0')
    {
      if (self->catalog != NULL)
        service = kac_catalog_lookup (self->catalog, code);
      self->service_stale = service == NULL;
    }
  pick_service (self, service, FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->client_name_row),
                         kac_record_get_client_name (record) != NULL ? kac_record_get_client_name (record) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_code_row),
                         kac_record_get_client_code (record) != NULL ? kac_record_get_client_code (record) : "");
  set_notes (self, kac_record_get_notes (record));
  gtk_toggle_button_set_active (get_satisfaction_button (self, CLAMP (kac_record_get_satisfaction (record), 0, 5)),
                                TRUE);

  if (self->service_stale)
    {
      set_field_invalid (GTK_WIDGET (self->service_entry), TRUE);
      show_field_message (self->service_error_label,
                          _("The service of this registration is no longer in the catalogue. Choose another one before saving."));
      gtk_widget_grab_focus (GTK_WIDGET (self->service_entry));
    }
  else
    kac_register_page_focus_first (self);
}

gboolean
kac_register_page_is_correcting (KacRegisterPage *self)
{
  g_return_val_if_fail (KAC_IS_REGISTER_PAGE (self), FALSE);

  return self->editing != NULL;
}

void
kac_register_page_reset (KacRegisterPage *self)
{
  g_return_if_fail (KAC_IS_REGISTER_PAGE (self));

  /* Kind and channel stay: a clerk usually serves several similar clients in a row. A
   * correction, though, had loaded another record's values. */
  if (self->editing != NULL)
    set_channel_from_settings (self);

  set_correcting (self, NULL);
  self->service_stale = FALSE;
  clear_field_errors (self);
  clear_store_error (self);

  gtk_editable_set_text (GTK_EDITABLE (self->service_entry), "");
  pick_service (self, NULL, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->client_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_code_row), "");
  set_notes (self, NULL);
  gtk_toggle_button_set_active (self->satisfaction_0, TRUE);
  run_service_search (self);
}

void
kac_register_page_update_presence (KacRegisterPage *self)
{
  g_return_if_fail (KAC_IS_REGISTER_PAGE (self));

  update_presence_hint (self);
}

void
kac_register_page_focus_first (KacRegisterPage *self)
{
  g_return_if_fail (KAC_IS_REGISTER_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->kind_row));
}
