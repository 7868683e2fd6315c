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

struct _KacQueueRow
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkButton *correct_button;
  GtkLabel  *details_label;
  GtkLabel  *service_label;
  GtkBox    *state_box;
  GtkLabel  *state_detail_label;
  GtkImage  *state_icon;
  GtkLabel  *state_label;
  GtkLabel  *time_label;
  GtkLabel  *title_label;
  GtkButton *withdraw_button;

  KacRecord *record;
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

  detail = kac_record_get_state_detail (record);
  if (state == KAC_RECORD_STATE_REJECTED && detail != NULL && *detail != '\0')
    {
      /* Translators: %s is the central system's reason for rejecting a registration. */
      g_autofree char *text = g_strdup_printf (_("Rejected: %s"), detail);

      gtk_label_set_label (self->state_detail_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->state_detail_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->state_detail_label), FALSE);

  editable = kac_record_is_editable (record);
  gtk_widget_set_visible (GTK_WIDGET (self->correct_button), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->withdraw_button), editable);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->correct_button), "s",
                                    kac_record_get_uuid (record));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->withdraw_button), "s",
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
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, correct_button);
  gtk_widget_class_bind_template_child (widget_class, KacQueueRow, details_label);
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
  if (self->record != NULL)
    {
      g_signal_connect_object (self->record, "notify",
                               G_CALLBACK (record_notify_cb), self, G_CONNECT_SWAPPED);
      update_row (self);
    }
}
