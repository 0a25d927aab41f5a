"""INN-2 in the admin: proposals entered by unit staff, moved along the workflow by actions and an
advance page (all through innovation.proposals.services), review rounds, evaluators assigned in
bulk, each evaluator's own opinion and private notes, and the rates page."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from membership import scoping
from membership.admin_scoped import ScopedAdmin, ScopedInline
from membership.models import Unit, User, Worker

from ..models import (
    NEXT_STATES,
    Proposal,
    ProposalAssignment,
    ProposalAuthor,
    ProposalRound,
    ProposalState,
    ProposalStep,
)
from ..proposals import rates, services
from ..roles import PROPOSAL_EVALUATOR_GROUP as EVALUATOR_GROUP


def _each(modeladmin, request, queryset, call) -> int:
    done = 0
    for proposal in queryset:
        try:
            call(proposal)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            text = "；".join(getattr(error, "messages", None) or [str(_("Not permitted."))])
            modeladmin.message_user(request, f"{proposal.code}：{text}", messages.WARNING)
    return done


def _intermediate(modeladmin, request, queryset, form, action, title):
    return TemplateResponse(request, "admin/innovation/proposal_action.html", {
        **modeladmin.admin_site.each_context(request), "title": title, "proposals": queryset, "form": form,
        "action": action, "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for not adopting"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("The submitter reads this reason."))


class EvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(queryset=User.objects.none(), label=_("evaluators"),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = User.objects.filter(
            groups__name=EVALUATOR_GROUP, is_active=True, is_staff=True).order_by("username")


class RoundForm(forms.Form):
    review_round = forms.ModelChoiceField(queryset=ProposalRound.objects.none(), label=_("review round"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_round"].queryset = scoping.changeable_by(ProposalRound.objects.all(), user)


def _moving_action(target, description, done_message):
    def action(modeladmin, request, queryset):
        form = CommentForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = _each(modeladmin, request, queryset, lambda proposal: services.proposal_advance(
                proposal=proposal, to=target, comment=form.cleaned_data["comment"], by=request.user))
            if done:
                modeladmin.message_user(request, done_message % {"count": done})
            return None
        return _intermediate(modeladmin, request, queryset, form, f"to_{target}", description)

    action.__name__ = f"to_{target}"
    return admin.action(description=description, permissions=["decide"])(action)


to_reviewing = _moving_action(ProposalState.REVIEWING, _("Start review"), _("%(count)d proposals are under review."))
to_adopted = _moving_action(ProposalState.ADOPTED, _("Adopt"), _("%(count)d proposals adopted."))
to_project = _moving_action(ProposalState.PROJECT, _("Approve as a project"), _("%(count)d proposals approved as projects."))


@admin.action(description=_("Do not adopt, with a reason"), permissions=["decide"])
def to_rejected(modeladmin, request, queryset):
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = _each(modeladmin, request, queryset, lambda proposal: services.proposal_advance(
            proposal=proposal, to=ProposalState.REJECTED, reason=form.cleaned_data["reason"], by=request.user))
        if done:
            modeladmin.message_user(request, _("%(count)d proposals not adopted.") % {"count": done})
        return None
    return _intermediate(modeladmin, request, queryset, form, "to_rejected", _("Do not adopt, with a reason"))


@admin.action(description=_("Assign evaluators"), permissions=["assign_evaluators"])
def assign_evaluators(modeladmin, request, queryset):
    form = EvaluatorsForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            created = services.evaluators_assign(proposals=queryset, evaluators=form.cleaned_data["evaluators"],
                                                 by=request.user)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, "；".join(getattr(error, "messages", None) or [str(_("Not permitted."))]),
                                    messages.ERROR)
        else:
            modeladmin.message_user(request, _("%(count)d assignments made; the evaluators have been notified.")
                                    % {"count": len(created)})
        return None
    return _intermediate(modeladmin, request, queryset, form, "assign_evaluators", _("Assign evaluators"))


@admin.action(description=_("Put into a review round"), permissions=["change"])
def put_in_round(modeladmin, request, queryset):
    form = RoundForm(request.POST if "apply" in request.POST else None, user=request.user)
    if "apply" in request.POST and form.is_valid():
        try:
            count = services.proposals_to_round(proposals=queryset, review_round=form.cleaned_data["review_round"],
                                                by=request.user)
        except PermissionDenied:
            modeladmin.message_user(request, _("Not permitted."), messages.ERROR)
        else:
            modeladmin.message_user(request, _("%(count)d proposals put into the round.") % {"count": count})
        return None
    return _intermediate(modeladmin, request, queryset, form, "put_in_round", _("Put into a review round"))


class ProposalStepInline(ScopedInline):
    model = ProposalStep
    can_delete = False
    fields = ("state", "on", "by", "comment", "upload", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalAuthorInline(ScopedInline):
    model = ProposalAuthor
    can_delete = False
    fields = ("worker", "is_lead")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalAssignmentInline(ScopedInline):
    model = ProposalAssignment
    can_delete = False
    # Private notes are the evaluator's own: not shown here.
    fields = ("evaluator", "assigned_at", "opinion", "opinion_comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalAddForm(forms.ModelForm):
    """Unit staff enter a proposal for a worker of their units (found by ID number or name in the
    worker field's search)."""

    co_submitters = forms.ModelMultipleChoiceField(queryset=Worker.objects.none(), required=False,
                                                   label=_("co-submitters"))

    class Meta:
        model = Proposal
        fields = ["title", "category", "description", "expected_benefit", "submitter", "submitted_on", "review_round"]


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(label=_("next state"))
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("reason for not adopting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The submitter reads this reason."))
    measured_benefit = forms.DecimalField(label=_("measured benefit (10,000 yuan)"), required=False, min_value=0,
                                          max_digits=12, decimal_places=2)
    reward_amount = forms.DecimalField(label=_("material reward (yuan)"), required=False, min_value=0, max_digits=12,
                                       decimal_places=2)
    reward_material = forms.CharField(label=_("material reward"), required=False, max_length=200)
    reward_honour = forms.CharField(label=_("honorary reward"), required=False, max_length=200)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(state, ProposalState(state).label) for state in NEXT_STATES[proposal.state]]


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin):
    list_display = ("code", "title", "category", "unit", "submitter_name", "submitted_on", "state", "review_round",
                    "advance_link")
    list_filter = ("state", "category", "review_round")
    search_fields = ("code", "title", "submitter__name")
    list_select_related = ("unit", "submitter", "review_round")
    date_hierarchy = "submitted_on"
    change_list_template = "admin/innovation/proposal_change_list.html"
    actions = [to_reviewing, to_adopted, to_rejected, to_project, assign_evaluators, put_in_round]
    inlines = [ProposalAuthorInline, ProposalStepInline, ProposalAssignmentInline]
    autocomplete_fields = ("submitter",)
    readonly_fields = ("code", "unit", "submitter", "submitted_on", "state", "rejection_reason", "measured_benefit",
                       "reward_amount", "reward_material", "reward_honour", "created_by", "upload", "created_at")

    def has_decide_permission(self, request):
        return request.user.has_perm("innovation.decide_proposal")

    def has_assign_evaluators_permission(self, request):
        return request.user.has_perm("innovation.assign_evaluators")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ProposalAddForm
        form = super().get_form(request, obj, **kwargs)
        return self._fix_add_form(form, request) if obj is None else form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["submitter", "co_submitters", "submitted_on", "title", "category", "description", "expected_benefit",
                    "review_round"]
        return ["code", "title", "category", "description", "expected_benefit", "submitter", "unit", "submitted_on",
                "review_round", "state", "rejection_reason", "measured_benefit", "reward_amount", "reward_material",
                "reward_honour", "created_by", "upload", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def _fix_add_form(self, form, request):
        if "co_submitters" in form.base_fields:
            form.base_fields["co_submitters"].queryset = scoping.visible_to(Worker.objects.all(), request.user)
        if "review_round" in form.base_fields:
            form.base_fields["review_round"].queryset = scoping.visible_to(ProposalRound.objects.all(), request.user)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        if obj is None:
            return
        yield from super().get_formsets_with_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data
                      if name in ("title", "category", "description", "expected_benefit", "review_round")}
            if fields:
                services.proposal_update(proposal=obj, by=request.user, **fields)
            return
        worker = form.cleaned_data["submitter"]
        created = services.proposal_submit(
            worker=worker, title=form.cleaned_data["title"], category=form.cleaned_data["category"],
            description=form.cleaned_data["description"], expected_benefit=form.cleaned_data["expected_benefit"],
            co_submitters=[w for w in form.cleaned_data.get("co_submitters") or [] if w.unit_id == worker.unit_id],
            by=request.user, submitted_on=form.cleaned_data["submitted_on"],
            review_round=form.cleaned_data.get("review_round"))
        obj.pk, obj.code = created.pk, created.code

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        services.proposals_delete(proposals=[obj])

    def delete_queryset(self, request, queryset):
        services.proposals_delete(proposals=queryset)

    @admin.display(description=_("submitter"), ordering="submitter__name")
    def submitter_name(self, proposal):
        return proposal.submitter.name

    @admin.display(description="")
    def advance_link(self, proposal):
        if not NEXT_STATES[proposal.state]:
            return ""
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:innovation_proposal_advance", args=[proposal.pk]), _("Next step"))

    def get_urls(self):
        return [path("<int:pk>/advance/", self.admin_site.admin_view(self.advance_view), name="innovation_proposal_advance"),
                path("rates/", self.admin_site.admin_view(self.rates_view), name="innovation_proposal_rates"),
                *super().get_urls()]

    def advance_view(self, request, pk):
        if not request.user.has_perm("innovation.decide_proposal"):
            raise PermissionDenied
        proposal = get_object_or_404(scoping.changeable_by(Proposal.objects.select_related("unit", "submitter"),
                                                           request.user), pk=pk)
        form = AdvanceForm(request.POST or None, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_advance(
                    proposal=proposal, to=data["to"], by=request.user, comment=data["comment"], reason=data["reason"],
                    measured_benefit=data["measured_benefit"], reward_amount=data["reward_amount"],
                    reward_material=data["reward_material"], reward_honour=data["reward_honour"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("%(code)s is now %(state)s.")
                                  % {"code": proposal.code, "state": proposal.get_state_display()})
                return redirect("admin:innovation_proposal_change", proposal.pk)
        return TemplateResponse(request, "admin/innovation/proposal_advance.html", {
            **self.admin_site.each_context(request), "title": _("Next step for %(code)s") % {"code": proposal.code},
            "proposal": proposal, "form": form, "opts": self.model._meta,
            "steps": proposal.steps.select_related("by").order_by("id"),
        })

    def rates_view(self, request):
        """INN-2, IND-PROPOSAL-ADOPTION/IMPLEMENTATION: the rates of the user's unit and the units
        below it (or of a unit of their subtree picked by code), per year."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        root_path = scoping.user_root_path(request.user)
        if root_path is None:
            raise PermissionDenied
        units = Unit.objects.filter(path__startswith=root_path)
        code = request.GET.get("unit", "").strip()
        root = units.filter(code=code).first() if code else units.order_by("depth", "path").first()
        if root is None:
            root = units.order_by("depth", "path").first()
            if code:
                messages.warning(request, _("No unit of yours has the code %(code)s.") % {"code": code})
        table = rates.proposal_rates_by_unit(root=root)
        return TemplateResponse(request, "admin/innovation/proposal_rates.html", {
            **self.admin_site.each_context(request), "title": _("Adoption and implementation rates"),
            "table": table, "root": root, "opts": self.model._meta,
        })


@admin.register(ProposalRound)
class ProposalRoundAdmin(ScopedAdmin):
    list_display = ("name", "unit", "year", "starts_on", "ends_on")
    list_filter = ("year",)
    search_fields = ("name",)
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)

    def save_model(self, request, obj, form, change):
        services.proposal_round_save(review_round=obj, by=request.user)

    def delete_model(self, request, obj):
        services.proposal_rounds_delete(rounds=[obj])

    def delete_queryset(self, request, queryset):
        services.proposal_rounds_delete(rounds=queryset)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = ProposalAssignment
        fields = ["opinion", "opinion_comment", "private_note"]


@admin.register(ProposalAssignment)
class ProposalAssignmentAdmin(ScopedAdmin):
    """An evaluator's list of what is assigned to them (scoping shows nothing else), each with
    their opinion and private notes; unit staff see the assignments of their proposals, without
    the notes."""

    list_display = ("proposal_code", "proposal_title", "evaluator", "assigned_at", "opinion")
    list_filter = ("opinion",)
    search_fields = ("proposal__code", "proposal__title")
    list_select_related = ("proposal", "evaluator")
    form = AssignmentForm

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        fields = ["proposal_code", "proposal_title", "proposal_description", "proposal_benefit", "evaluator", "assigned_at",
                  "opinion", "opinion_comment"]
        if obj is not None and obj.evaluator_id == request.user.pk:
            fields.append("private_note")
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = ["proposal_code", "proposal_title", "proposal_description", "proposal_benefit", "evaluator",
                    "assigned_at"]
        if obj is None or obj.evaluator_id != request.user.pk:
            readonly += ["opinion", "opinion_comment"]
        return readonly

    def lookup_allowed(self, lookup, value, request=None):
        # The list's address accepts a filter on any field of the model: one on the private notes
        # (?private_note__startswith=…) would let unit staff read them letter by letter.
        if lookup.split(LOOKUP_SEP)[0] == "private_note":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_change_permission(self, request, obj=None):
        # Only the evaluator writes their opinion and notes.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.evaluator_id == request.user.pk)

    def save_model(self, request, obj, form, change):
        services.assignment_review(assignment=obj, by=request.user, opinion=form.cleaned_data.get("opinion"),
                                   opinion_comment=form.cleaned_data.get("opinion_comment"),
                                   private_note=form.cleaned_data.get("private_note"))

    @admin.display(description=_("proposal number"), ordering="proposal__code")
    def proposal_code(self, assignment):
        return assignment.proposal.code

    @admin.display(description=_("title"))
    def proposal_title(self, assignment):
        return assignment.proposal.title

    @admin.display(description=_("description"))
    def proposal_description(self, assignment):
        return assignment.proposal.description

    @admin.display(description=_("expected benefit"))
    def proposal_benefit(self, assignment):
        return assignment.proposal.expected_benefit
