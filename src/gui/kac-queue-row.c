/* kac-queue-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One registration in the queue list. Rows are recycled by the list view, so a row follows
 * the record it shows (state changes while it is on screen) and lets go of it when rebound.
 */
#define G_LOG_DOMAIN "kac-queue-row"

#include "config.h"

#include "kac-queue-row.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

struct _KacQueueRow
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkLabel  *central_label;
  GtkButton *correct_button;
  GtkLabel  *details_label;
  GtkBox    *rejected_box;
  GtkButton *rejected_correct_button;
  GtkButton *rejected_withdraw_button;
  GtkLabel  *service_label;
  GtkBox    *state_box;
  GtkLabel  *state_detail_label;
  GtkImage  *state_icon;
  GtkLabel  *state_label;
  GtkLabel  *time_label;
  GtkLabel  *title_label;
  GtkButton *withdraw_button;

  KacRecord *record;
  /* The application's status on the central system, when known (pulled by the engine). */
  gboolean   has_status;
  KacApplicationStatus status;
  char      *due_date;
};

G_DEFINE_FINAL_TYPE (KacQueueRow, kac_queue_row, GTK_TYPE_WIDGET)

/* State look */

static const char * const state_classes[] = {
  "state-queued", "state-sending", "state-accepted", "state-rejected", "state-withdrawn",
};

static const char *
get_state_icon_name (KacRecordState state)
{
  switch (state)
    {
    case KAC_RECORD_STATE_QUEUED:
      return "document-send-symbolic";
    case KAC_RECORD_STATE_SENDING:
      return "emblem-synchronizing-symbolic";
    case KAC_RECORD_STATE_ACCEPTED:
      return "emblem-ok-symbolic";
    case KAC_RECORD_STATE_REJECTED:
      return "dialog-error-symbolic";
    case KAC_RECORD_STATE_WITHDRAWN:
    default:
      return "edit-delete-symbolic";
    }
}

/* Helpers */

/* "2026-03-11" → the clerk's way of writing a date. */
static char *
format_due_date (const char *due_date)
{
  int year, month, day;
  g_autoptr(GDateTime) date = NULL;

  if (due_date == NULL || sscanf (due_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return NULL;
  date = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (date == NULL)
    return NULL;

  /* Translators: a due date in the queue, see g_date_time_format(). */
  return g_date_time_format (date, C_("due date", "%d.%m.%Y"));
}

static gboolean
is_overdue (const char *due_date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  /* ISO dates compare as strings. */
  return due_date != NULL && strcmp (due_date, today) < 0;
}

/* "No. KAC-2026-000123 · Forwarded to the institution · due 11.03.2026", or NULL. */
static char *
describe_central (KacQueueRow *self)
{
  const char *number = kac_record_get_central_number (self->record);
  g_autoptr(GString) text = g_string_new (NULL);

  if (number != NULL && *number != '\0')
    /* Translators: %s is the central registration number of an application. */
    g_string_append_printf (text, _("No. %s"), number);

  if (self->has_status)
    {
      g_autofree char *due = format_due_date (self->due_date);

      if (text->len > 0)
        g_string_append (text, " · ");
      if (self->status != KAC_APPLICATION_STATUS_COMPLETED && is_overdue (self->due_date))
        /* Translators: %s is the due date that has passed. */
        g_string_append_printf (text, _("Overdue since %s"), due);
      else
        {
          g_string_append (text, kac_application_status_get_label (self->status));
          if (due != NULL && self->status != KAC_APPLICATION_STATUS_COMPLETED)
            {
              g_string_append (text, " · ");
              /* Translators: %s is the date by which the institution must answer. */
              g_string_append_printf (text, _("due %s"), due);
            }
        }
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

char *
kac_queue_row_format_time (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (utc != NULL, NULL);

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  /* Translators: the date and time of a registration made before today, as
   * in the queue list; see g_date_time_format() for the codes. */
  return g_date_time_format (local, C_("queue row", "%d.%m. %H:%M"));
}

static void
update_row (KacQueueRow *self)
{
  KacRecord *record = self->record;
  KacRecordState state;
  g_autofree char *time = NULL;
  g_autofree char *masked = NULL;
  g_autoptr(GString) details = NULL;
  const char *service_name;
  const char *institution;
  const char *client_name;
  const char *detail;
  gboolean editable;

  if (record == NULL)
    return;

  state = kac_record_get_state (record);
  time = kac_queue_row_format_time (kac_record_get_created_at (record));
  gtk_label_set_label (self->time_label, time);
  gtk_label_set_label (self->title_label,
                       kac_record_kind_get_label (kac_record_get_kind (record)));

  service_name = kac_record_get_service_name (record);
  institution = kac_record_get_institution_code (record);
  if (service_name != NULL && *service_name != '\0')
    {
      g_autofree char *text = NULL;

      if (institution != NULL && *institution != '\0')
        text = g_strdup_printf ("%s · %s", institution, service_name);
      else
        text = g_strdup (service_name);
      gtk_label_set_label (self->service_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->service_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->service_label), FALSE);

  /* Only the masked personal code ever reaches a list. */
  details = g_string_new (kac_channel_get_label (kac_record_get_channel (record)));
  client_name = kac_record_get_client_name (record);
  if (client_name != NULL && *client_name != '\0')
    g_string_append_printf (details, " · %s", client_name);
  masked = kac_record_dup_masked_client_code (record);
  if (masked != NULL && *masked != '\0')
    g_string_append_printf (details, " · %s", masked);
  gtk_label_set_label (self->details_label, details->str);

  gtk_label_set_label (self->state_label, kac_record_state_get_label (state));
  gtk_image_set_from_icon_name (self->state_icon, get_state_icon_name (state));
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_box), state_classes[i]);
  if ((guint) state < G_N_ELEMENTS (state_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_box), state_classes[state]);

  {
    g_autofree char *central = describe_central (self);

    gtk_label_set_label (self->central_label, central != NULL ? central : "");
    gtk_widget_set_visible (GTK_WIDGET (self->central_label), central != NULL);
  }

  /* A refusal needs the clerk: the reason in full, with what can be done about it. */
  detail = kac_record_get_state_detail (record);
  if (state == KAC_RECORD_STATE_REJECTED)
    {
      g_autofree char *text = NULL;

      if (detail != NULL && *detail != '\0')
        /* Translators: %s is the central system's reason for rejecting a registration. */
        text = g_strdup_printf (_("Rejected: %s"), detail);
      else
        text = g_strdup (_("Rejected by the central system without a reason. Correct it and save it to send it again, or withdraw it."));
      gtk_label_set_label (self->state_detail_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_box), state == KAC_RECORD_STATE_REJECTED);

  editable = kac_record_is_editable (record);
  gtk_widget_set_visible (GTK_WIDGET (self->correct_button), editable && state != KAC_RECORD_STATE_REJECTED);
  gtk_widget_set_visible (GTK_WIDGET (self->withdraw_button), editable && state != KAC_RECORD_STATE_REJECTED);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->correct_button), "s",
                                    kac_record_get_uuid (record));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->withdraw_button), "s",
                                    kac_record_get_uuid (record));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->rejected_correct_button), "s",
                                    kac_record_get_uuid (record));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->rejected_withdraw_button), "s",
                                    kac_record_get_uuid (record));
}

/* Callbacks */

static void
record_notify_cb (KacQueueRow *self,
                  GParamSpec  *pspec,
                  KacRecord   *record)
{
  update_row (self);
}

/* GObject overrides */

static void
kac_queue_row_dispose (GObject *object)
{
  KacQueueRow *self = KAC_QUEUE_ROW (object);

  kac_queue_row_set_record (self, NULL);
  g_clear_pointer (&self->due_date, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_QUEUE_ROW);
  /* The template's top-level children that no field points to are still ours to unparent. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self));
       c != NULL;
       c = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (c);

  G_OBJECT_CLASS (kac_queue_row_parent_class)->dispose (object);
}

static void
kac_queue_row_class_init (KacQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_queue_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-queue-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, central_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, correct_button);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, rejected_box);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, rejected_correct_button);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, rejected_withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, service_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, state_box);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, state_detail_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, withdraw_button);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kac_queue_row_init (KacQueueRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
kac_queue_row_new (void)
{
  return g_object_new (KAC_TYPE_QUEUE_ROW, NULL);
}

KacRecord *
kac_queue_row_get_record (KacQueueRow *self)
{
  g_return_val_if_fail (KAC_IS_QUEUE_ROW (self), NULL);

  return self->record;
}

void
kac_queue_row_set_record (KacQueueRow *self,
                          KacRecord   *record)
{
  g_return_if_fail (KAC_IS_QUEUE_ROW (self));
  g_return_if_fail (record == NULL || KAC_IS_RECORD (record));

  if (self->record == record)
    return;

  if (self->record != NULL)
    g_signal_handlers_disconnect_by_func (self->record, record_notify_cb, self);
  g_set_object (&self->record, record);
  /* A recycled row must not show the previous record's status. */
  self->has_status = FALSE;
  g_clear_pointer (&self->due_date, g_free);
  if (self->record != NULL)
    {
      g_signal_connect_object (self->record, "notify",
                               G_CALLBACK (record_notify_cb), self, G_CONNECT_SWAPPED);
      update_row (self);
    }
}

void
kac_queue_row_set_application_status (KacQueueRow          *self,
                                      gboolean              known,
                                      KacApplicationStatus  status,
                                      const char           *due_date)
{
  g_return_if_fail (KAC_IS_QUEUE_ROW (self));

  self->has_status = known;
  self->status = status;
  g_free (self->due_date);
  self->due_date = known ? g_strdup (due_date) : NULL;
  update_row (self);
}
