"""Account views: parse the form, call services.accounts, flash, redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import (
    ChangePasswordForm,
    EmptyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.db_tx import transaction
from app.extensions import limiter
from app.services import accounts
from app.services.accounts import AccountError, NewAccount, ProfileError, update_profile


def _login_limit() -> str:
    limit: str = current_app.config["LOGIN_RATE_LIMIT"]
    return limit


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("main.dashboard")


def _field_error(form: FlaskForm, err: AccountError | ProfileError) -> None:
    field = getattr(form, err.field or "", None)
    if field is not None:
        field.errors = [*field.errors, str(err)]
    else:
        flash(str(err), "error")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data
        try:
            with transaction():
                accounts.register(
                    NewAccount(
                        email=email,
                        password=form.password.data,
                        print_name=form.print_name.data,
                        credentials=form.credentials.data or "",
                        profession=form.profession.data,
                        licence_number=form.licence_number.data,
                        licence_state=form.licence_state.data,
                    )
                )
        except (AccountError, ProfileError) as err:
            _field_error(form, err)
        else:
            # The same page whether the address was new or already had an account.
            return render_template("auth/check_email.html", email=accounts.normalize_email(email))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])  # per client address (ProxyFix behind a proxy)
@limiter.limit(  # and per account, so many addresses cannot take turns guessing one password
    _login_limit,
    methods=["POST"],
    key_func=lambda: "account:" + accounts.normalize_email(request.form.get("email", ""))[:320],
)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        with transaction():
            user = accounts.sign_in(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.print_name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        flash("That email and password do not match an account.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        with transaction():
            accounts.end_session(current_user)
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("main.home"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere() -> Response:
    """End every session of the account, this one and those on other devices."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        accounts.end_all_sessions(current_user)
    logout_user()
    flash("You have signed out on every device.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/confirm/<token>")
def confirm_email(token: str) -> Response:
    with transaction():
        user = accounts.confirm_email(token)
        if user is not None:
            accounts.start_session(user)
    if user is None:
        flash("This link is invalid, expired or already used. Sign in, or register again.", "error")
        return redirect(url_for("auth.login"))
    login_user(user)
    flash("Your e-mail address is confirmed. Welcome to PostRx.", "success")
    return redirect(url_for("main.dashboard"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            with transaction():
                update_profile(
                    current_user,
                    print_name=form.print_name.data,
                    credentials=form.credentials.data or "",
                    profession=form.profession.data,
                    licence_number=form.licence_number.data,
                    licence_state=form.licence_state.data,
                )
        except ProfileError as err:
            _field_error(form, err)
        else:
            flash("Your profile has been saved.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            with transaction():
                accounts.change_password(
                    current_user, form.current_password.data, form.password.data
                )
        except AccountError as err:
            _field_error(form, err)
        else:
            flash("Your password has been changed.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def request_reset() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        with transaction():
            accounts.request_password_reset(form.email.data)
        flash(
            "If an account uses that email, we have sent it a link to reset the password. "
            "The link works for one hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    user = accounts.user_for_reset_token(token)
    if user is None:
        flash("This reset link is invalid or has expired. Ask for a new one.", "error")
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            with transaction():
                accounts.reset_password(user, form.password.data)
        except AccountError as err:
            _field_error(form, err)
        else:
            flash("Your password has been reset. Sign in with the new one.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
