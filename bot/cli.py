"""The `civic` command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

from core.config import get_settings
from core.localtime import local_today
from core.logs import setup_logging

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = fn
        return fn

    return register


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def run_batch(path: Path, field: str, handle: Callable[[str], dict]) -> None:
    """Lines {"id", field} -> one JSON line each with the same id; a bad line gets an error line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            value = str(item[field])
        except (json.JSONDecodeError, KeyError, TypeError):
            _print_json({"id": None, "line": number, "error": f"dòng không hợp lệ: cần {{\"id\", \"{field}\"}}"})
            continue
        _print_json({"id": item.get("id"), **handle(value)})


def _progress(label: str, total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="bản ghi", file=sys.stderr, disable=total < 50 or not sys.stderr.isatty())


# ---------------------------------------------------------------------------
# knowledge


@command("setup")
def cmd_setup(args: argparse.Namespace) -> int:
    """Prepare the data directory: database schema, embedding model, sample knowledge base."""
    from core.embedder import get_embedder
    from knowledge.service import default_knowledge_base
    from storage.db import get_engine

    settings = get_settings()
    get_engine()
    print(f"Cơ sở dữ liệu: {settings.database_url.split('@')[-1]}", file=sys.stderr)
    embedder = get_embedder()
    print(f"Mô hình nhúng: {embedder.model_path}", file=sys.stderr)
    from nlu.parser import load_or_train

    model = load_or_train()
    print(f"Mô hình ý định: {model.meta.get('training_texts')} câu huấn luyện", file=sys.stderr)
    kb = default_knowledge_base()
    if kb.document_count() == 0:
        print(f"Nạp cơ sở tri thức mẫu từ {settings.sample_path} ...", file=sys.stderr)
        report, build = kb.ingest([settings.sample_path], progress=_progress)
        print(report.summary(), file=sys.stderr)
    elif not kb.is_ready():
        kb.rebuild()
    from storage.db import session_factory
    from tasks import store

    store.sync(session_factory())
    print("Sẵn sàng.", file=sys.stderr)
    return 0


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    from knowledge.service import default_knowledge_base

    kb = default_knowledge_base()
    report, build = kb.ingest([Path(p) for p in args.paths], progress=_progress, rebuild=not args.no_index, show_progress=sys.stderr.isatty())
    for where, why in report.failed:
        print(f"LỖI {where}: {why}", file=sys.stderr)
    print(report.summary())
    from storage.db import session_factory
    from tasks import store

    extracted = store.sync(session_factory())
    if extracted:
        print(f"Nhiệm vụ: đã trích xuất lại từ {extracted} kế hoạch")
    if build:
        print(f"Chỉ mục: {build.chunks} đoạn, {build.documents} tài liệu, {build.seconds:.1f} giây ({build.embedded} đoạn mới được nhúng)")
    elif not args.no_index:
        print("Chỉ mục không đổi.")
    hard_failures = [f for f in report.failed if "lặp lại" not in f[1]]
    return 1 if hard_failures and not (report.added or report.updated or report.unchanged) else 0


@command("index")
def cmd_index(args: argparse.Namespace) -> int:
    from knowledge.service import default_knowledge_base

    build = default_knowledge_base().rebuild(show_progress=sys.stderr.isatty())
    print(f"Chỉ mục {build.folder.name}: {build.chunks} đoạn, {build.documents} tài liệu, {build.seconds:.1f} giây")
    return 0


def _render_answer(answer) -> str:
    return answer.text


@command("ask")
def cmd_ask(args: argparse.Namespace) -> int:
    from knowledge.service import default_knowledge_base

    kb = default_knowledge_base()
    if args.batch:
        run_batch(Path(args.batch), "question", lambda question: kb.answer(question).to_json())
        return 0
    if not args.question:
        print("Cần câu hỏi: civic ask \"câu hỏi\" hoặc civic ask --batch FILE.jsonl", file=sys.stderr)
        return 2
    answer = kb.answer(" ".join(args.question))
    if args.json:
        _print_json(answer.to_json())
    else:
        print(_render_answer(answer))
    return 0


@command("eval")
def cmd_eval(args: argparse.Namespace) -> int:
    from knowledge.service import default_knowledge_base

    kb = default_knowledge_base()
    if args.what == "train-ranker":
        from knowledge.rank.train import train

        report = train(kb, per_procedure=args.generated, cross_validation=not args.no_cv)
        _print_json(report)
        return 0
    from core.holdout import select
    from knowledge.evaluate import evaluate, format_report, load_dev

    if not args.file:
        print("cần tệp câu hỏi: civic eval retrieval FILE", file=sys.stderr)
        return 2
    items = select(load_dev(Path(args.file)), args.half)

    def run(question: str) -> tuple[list[dict], str, str]:
        answer = kb.answer(question, mode=args.mode, rerank=not args.no_rerank)
        return [s.to_json() for s in answer.sources], answer.status.value, answer.text

    report = evaluate(items, run)
    rows = report.pop("_rows")
    if args.json:
        if args.rows:
            report["rows"] = rows
        _print_json(report)
    else:
        print(format_report(report, f"Đánh giá ({args.mode}{', không xếp hạng lại' if args.no_rerank else ''}) trên {args.file} [{args.half}]: {len(items)} câu hỏi"))
    return 0


def _or_none(value) -> str:
    return "chưa có dữ liệu" if value is None else str(value)


def _percent(value) -> str:
    return "chưa có dữ liệu" if value is None else f"{value}%"


def info_line(items: list[dict]) -> str:
    return f"{len(items)} questions, {sum(1 for i in items if not i['gold'])} unanswerable"


# ---------------------------------------------------------------------------
# conversation


@command("chat")
def cmd_chat(args: argparse.Namespace) -> int:
    """A terminal conversation with the engine; buttons are numbered choices."""
    import getpass

    from bot.channels.common import Incoming, choose, menu_text
    from dialogue.engine import Engine

    engine = Engine()
    user = args.user or f"terminal-{getpass.getuser()}"
    print("Trợ lý dịch vụ công — gõ câu hỏi hoặc số của lựa chọn; “thoát” để kết thúc.")
    buttons: list = []
    pending = "xin chào"
    while True:
        if pending is None:
            try:
                line = input("\nBạn: ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if line.lower() in {"thoát", "thoat", "exit", "quit"}:
                return 0
            if not line:
                continue
        else:
            line, pending = pending, None
        picked = choose(line, buttons)
        incoming = Incoming.button("terminal", user, user, picked) if picked else Incoming("terminal", user, user, text=line)
        reply = engine.handle("terminal", user, text=incoming.text, payload=incoming.payload)
        buttons = []
        for message in reply.messages:
            shown = [{"title": b.title, "payload": b.payload} for b in message.buttons]
            buttons = shown or buttons
            print("\nTrợ lý: " + menu_text(message.text, shown))


@command("serve")
def cmd_serve(args: argparse.Namespace) -> int:
    import shutil

    import uvicorn

    settings = get_settings()
    host, port = args.host or settings.server.host, args.port or settings.server.port
    workers = args.workers or settings.server.workers
    if workers > 1:  # metrics from every worker process, summed at /metrics
        metrics_dir = settings.home_path / "run" / f"metrics-{port}"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    base = f"http://{host}:{port}"
    c = settings.channels
    on = [name for name, enabled in (("Telegram", c.telegram.token), ("Zalo Bot", c.zalo_bot.token), ("Zalo OA", c.zalo_oa.app_id and c.zalo_oa.secret_key)) if enabled]
    print(
        f"Trợ lý dịch vụ công đang chạy ({workers} tiến trình):\n"
        f"  Trò chuyện trên web: {base}/\n"
        f"  API trò chuyện:      POST {base}/api/chat\n"
        f"  Trang quản trị:      {base}/admin/  (tạo tài khoản: civic users add TÊN --role admin)\n"
        f"  Open311:             {base}/open311/v2/services.json\n"
        f"  Tình trạng, số đo:   {base}/healthz  {base}/metrics\n"
        f"  Kênh nhắn tin:       {', '.join(on) if on else 'chưa bật (đặt TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN, ...)'}\n"
        "Nhấn Ctrl+C để dừng.",
        file=sys.stderr, flush=True,
    )
    # log_config=None: uvicorn logs through our handler, which masks personal data (tracebacks too)
    uvicorn.run("bot.server:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning", log_config=None,
                proxy_headers=True, forwarded_allow_ips=",".join(settings.server.trusted_proxies) or None)
    return 0


@command("nlu")
def cmd_nlu(args: argparse.Namespace) -> int:
    from core.embedder import get_embedder
    from nlu.parser import NLU, load_or_train

    if args.action == "train":
        model = load_or_train(force=True)
        print(f"Đã huấn luyện: {model.meta}")
        return 0
    if args.action == "eval":
        from core.holdout import select
        from nlu.evaluate import evaluate_utterances

        path = Path(args.text[0]) if args.text else Path(__file__).resolve().parents[1] / "tests" / "data" / "eval" / "nlu" / "utterances.jsonl"
        items = select([json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()], args.half)
        report = evaluate_utterances(NLU(load_or_train(), get_embedder()), items)
        if args.json:
            _print_json(report)
        else:
            print(f"Ý định trên {path.name} [{args.half}]: {len(items)} câu")
            for style in ("formal", "unaccented", "informal", "all"):
                if style in report:
                    print(f"  {style:<11} macro-F1 {report[style]['macro_f1']:.3f}  accuracy {report[style]['accuracy']:.3f}  n={report[style]['n']}")
            print(f"  {len(report['errors'])} sai")
        return 0
    if args.action == "test":
        from nlu.evaluate import evaluate, format_report
        from nlu.training_data import load_training_data

        report = evaluate(load_training_data(), get_embedder())
        if args.json:
            _print_json(report)
        else:
            print(format_report(report))
        return 0
    nlu = NLU(load_or_train(), get_embedder())
    if args.batch:
        run_batch(Path(args.batch), "text", lambda text: nlu.parse(text).to_json())
        return 0
    if not args.text:
        print("Cần câu: civic nlu parse \"câu\" hoặc --batch FILE.jsonl", file=sys.stderr)
        return 2
    result = nlu.parse(" ".join(args.text))
    if args.json:
        _print_json(result.to_json())
    else:
        print(f"{result.intent} ({result.confidence:.2f})")
        for e in result.entities:
            print(f"  {e.entity}: {e.value}  [{e.text}]")
    return 0


@command("feedback")
def cmd_feedback(args: argparse.Namespace) -> int:
    import getpass

    from feedback import service
    from storage.db import session_factory

    sessions = session_factory()
    if args.action == "list":
        items, total = service.list_items(sessions, args.status, args.agency, args.category, args.overdue or None, limit=args.limit)
        if args.json:
            _print_json({"total": total, "items": [service.to_json(i) for i in items]})
            return 0
        print(f"{total} phản ánh" + (f" (hiện {len(items)})" if total > len(items) else ""))
        for i in items:
            flag = " QUÁ HẠN" if service.is_overdue(i) else ""
            print(f"{i.code}  {service.STATUSES.get(i.status, i.status):<15} hạn {i.due_at:%d/%m/%Y}{flag}  {i.agency_name}  — {i.content[:60]}")
        return 0
    if not args.code:
        print("Cần mã phản ánh, ví dụ: civic feedback show PA-2026-000123", file=sys.stderr)
        return 2
    if args.action == "show":
        item = service.find(sessions, args.code, with_events=True)
        if item is None:
            print(f"Không tìm thấy phản ánh {args.code}", file=sys.stderr)
            return 1
        data = service.to_json(item, with_contact=True, with_events=True)
        if args.json:
            _print_json(data)
        else:
            print(service.status_text(item, show_contact=True))
            print(f"Loại: {service.KINDS.get(item.kind)} · Nhóm: {service.CATEGORIES.get(item.category)}")
            for e in data["events"]:
                print(f"  {e['at'][:16]} {e['actor']}: {e['action']} {e['from_status'] or ''}→{e['to_status'] or ''} {e['note'] or ''}")
        return 0
    try:
        item = service.update(sessions, args.code, actor=args.actor or f"cli:{getpass.getuser()}", status=args.status,
                              reply=args.reply, note=args.note, assign=args.assign, agency_id=args.agency)
    except service.FeedbackError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        _print_json(service.to_json(item, with_contact=True, with_events=True))
    else:
        print(f"Đã cập nhật {item.code}: {service.STATUSES[item.status]}")
    return 0


@command("sipas")
def cmd_sipas(args: argparse.Namespace) -> int:
    from datetime import date

    from feedback import stats as feedback_stats
    from storage.db import session_factory
    from survey import stats

    def day(value: str | None):
        return date.fromisoformat(value) if value else None

    sessions = session_factory()
    filters = stats.Filters(day(args.date_from), day(args.date_to), args.agency, args.procedure, args.channel)
    if args.action == "export":
        result = stats.report(sessions, filters)
        if args.format == "xlsx":
            data = stats.to_xlsx({"Chỉ số": stats.table_rows(result), "Câu trả lời": stats.answer_rows(sessions, filters)})
            Path(args.out).write_bytes(data)
        else:
            rows = stats.answer_rows(sessions, filters) if args.answers else stats.table_rows(result)
            Path(args.out).write_text(stats.to_csv(rows), encoding="utf-8-sig")
        print(f"Đã xuất {args.out}")
        return 0
    result = stats.report(sessions, filters)
    result["feedback_ratios"] = feedback_stats.ratios(sessions, filters.date_from, filters.date_to, filters.agency_id)
    if args.by:
        result["by"] = {args.by: stats.breakdown(sessions, args.by, filters)}
    if args.json:
        _print_json(result)
        return 0
    print(f"Phiếu đã hoàn thành: {result['responses']}")
    o = result["overall"]
    print(f"Chỉ số hài lòng chung: {_percent(o['index'])} · điểm TB {_or_none(o['mean'])} · n={o['n']} · KTC95 {_or_none(o['ci95'])}")
    for e in result["elements"]:
        print(f"  {e['name']}: {_percent(e['index'])} (TB {_or_none(e['mean'])}, n={e['n']})")
        for c in e["criteria"]:
            mark = "" if c["confirmed"] else " [chưa xác nhận]"
            print(f"    - {c['text']}{mark}: {_percent(c['index'])} (TB {_or_none(c['mean'])}, n={c['n']})")
    ratios = result["feedback_ratios"]
    print(f"PAKN xử lý đúng hạn: {_percent(ratios['on_time_rate']['value'])} · "
          f"hài lòng trong xử lý PAKN: {_percent(ratios['satisfaction_rate']['value'])}")
    print("Công thức: " + result["formula"])
    return 0


def _day(value: str | None, flag: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"Ngày không hợp lệ cho {flag}: “{value}” (dùng dạng YYYY-MM-DD, ví dụ 2026-12-31)")


@command("tasks")
def cmd_tasks(args: argparse.Namespace) -> int:
    """Plan tasks: list with filters, mark done, evaluate extraction against the hand labels."""
    from storage.db import session_factory
    from tasks import store
    from tasks.answer import line
    from tasks.query import TaskFilter, list_tasks

    sessions = session_factory()
    settings = get_settings()
    today = _day(args.today, "--today") or local_today()
    if args.action == "eval":
        return _tasks_eval(args)
    store.sync(sessions)
    if args.action in ("done", "reopen"):
        return _tasks_progress(args, sessions, today)
    flt = TaskFilter(agency=args.agency, plan=args.plan, date_from=_day(args.date_from, "--from"),
                     date_to=_day(args.date_to, "--to"), status=args.status, role=args.role)
    views = list_tasks(sessions, flt, today, settings.tasks.due_window_days)
    if args.json:
        for view in views:
            print(json.dumps(view.to_json(), ensure_ascii=False))
        return 0
    if not views:
        print("Không có nhiệm vụ nào khớp điều kiện.")
        return 0
    for view in views:
        print(line(view, today) + f" [#{view.id}]")
    print(f"\n{len(views)} nhiệm vụ (tính đến {today:%d/%m/%Y}).")
    return 0


def _tasks_progress(args: argparse.Namespace, sessions, today) -> int:
    """`civic tasks done --id N` / `civic tasks reopen --id N` (or done --undo): audited like the dashboard's."""
    import getpass

    from tasks import progress

    if not args.id:
        print(f"Cần mã nhiệm vụ: civic tasks {args.action} --id N (mã in trong [#N] của civic tasks).", file=sys.stderr)
        return 2
    done = args.action == "done" and not args.undo
    try:
        changed = progress.set_done(sessions, args.id, done, actor=args.actor or f"cli:{getpass.getuser()}", day=today)
    except progress.ProgressError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    state = "đã hoàn thành" if done else "chưa hoàn thành"
    print(f"Nhiệm vụ #{args.id}: {state}." if changed else f"Nhiệm vụ #{args.id} vốn đã ở trạng thái {state}; không đổi.")
    return 0


def _tasks_eval(args: argparse.Namespace) -> int:
    from knowledge.ingest.plans import parse_plan
    from knowledge.ingest.readers import read_plan_text
    from tasks.evaluate import evaluate

    import yaml

    gold_dir = Path(args.gold)
    seeds = Path(args.seeds)
    results = []
    for gold_file in sorted(gold_dir.glob("*.yml")):
        seed = seeds / yaml.safe_load(gold_file.read_text(encoding="utf-8"))["seed"]
        if not seed.exists():
            print(f"Bỏ qua {gold_file.name}: không có {seed}", file=sys.stderr)
            continue
        results.append(evaluate(gold_file, parse_plan(read_plan_text(seed), seed.stem)).to_json())
    _print_json(results) if args.json else [print(
        f"{r['plan']}: {r['matched']}/{r['gold']} nhiệm vụ (recall {r['recall']:.1%}, precision {r['precision']:.1%}), "
        f"đơn vị chủ trì đúng {r['lead_accuracy']:.1%}, hạn đúng {r['due_accuracy']:.1%}, chỉ tiêu {r['targets']}"
    ) for r in results]
    return 0


@command("docs")
def cmd_docs(args: argparse.Namespace) -> int:
    """Ingested documents: list, delete, replace by a file (the index and the plan tasks follow)."""
    from knowledge.ingest.pipeline import ReplaceError
    from knowledge.service import default_knowledge_base
    from storage.db import session_factory
    from tasks import store

    kb, sessions = default_knowledge_base(), session_factory()
    if args.action == "list":
        store.sync(sessions)  # task counts of newly ingested plans
        items, total = kb.documents(kind=args.kind, query=args.query, limit=args.limit, offset=args.offset)
        if args.json:
            _print_json({"total": total, "items": [{**i, "issued_date": i["issued_date"] and i["issued_date"].isoformat(),
                                                    "updated_at": i["updated_at"].isoformat()} for i in items]})
            return 0
        kinds = {"plan": "kế hoạch", "procedure": "thủ tục"}
        for i in items:
            number = i["doc_number"] or i["code"] or "—"
            day = i["issued_date"].strftime("%d/%m/%Y") if i["issued_date"] else "—"
            tasks = f"  {i['tasks']} nhiệm vụ" if i["kind"] == "plan" and i["tasks"] is not None else ""
            print(f"#{i['id']:<6} {kinds.get(i['kind'], i['kind']):<9} {number:<16} {day:<10} {i['title'][:70]}"
                  f"{'  — ' + i['issuer'] if i['issuer'] else ''}{tasks}{'  (mẫu)' if i['sample'] else ''}")
        shown = f" (hiện {args.offset + 1}–{args.offset + len(items)})" if items and total > len(items) else ""
        print(f"{total} tài liệu{shown}.")
        return 0
    if not args.id:
        print(f"Cần mã tài liệu: civic docs {args.action} ID (mã in trong #ID của civic docs list).", file=sys.stderr)
        return 2
    if args.action == "delete":
        gone = kb.delete_document(args.id, rebuild=False)
        if gone is None:
            print(f"Không có tài liệu #{args.id}.", file=sys.stderr)
            return 1
        stopped = store.plan_removed(sessions, gone["doc_number"]) if gone["kind"] == "plan" else 0
        build = kb.rebuild(show_progress=sys.stderr.isatty())
        label = " ".join(filter(None, (gone["doc_number"] or gone["code"], gone["title"])))
        print(f"Đã xóa #{args.id}: {label}"
              + (f"; {gone['tasks']} nhiệm vụ của kế hoạch đã gỡ theo" if gone["tasks"] else "")
              + (f"; dừng {stopped} đăng ký nhắc việc theo kế hoạch này" if stopped else "") + ".")
        print(f"Chỉ mục: {build.chunks} đoạn, {build.documents} tài liệu.")
        return 0
    if not args.file:
        print("Cần tệp thay thế: civic docs replace ID TỆP", file=sys.stderr)
        return 2
    try:
        report, build = kb.replace_document(args.id, Path(args.file), progress=_progress)
    except ReplaceError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    extracted = store.sync(sessions)
    print(f"#{args.id}: " + ("nội dung không đổi" if report.unchanged else "đã thay bằng " + Path(args.file).name)
          + ("; nhiệm vụ đã trích xuất lại" if extracted else "") + ".")
    if build:
        print(f"Chỉ mục: {build.chunks} đoạn, {build.documents} tài liệu.")
    return 0


@command("reminders")
def cmd_reminders(args: argparse.Namespace) -> int:
    """Send today's reminder digests now (the server does it daily at tasks.reminder_time)."""
    from storage.db import session_factory
    from tasks import reminders

    day = _day(args.date, "--date") or local_today()
    report = reminders.run(session_factory(), day, get_settings().tasks.reminder_days_ahead, force=args.force)
    if args.json:
        _print_json(report.to_json())
    elif report.skipped_day_off:
        print(f"{day:%d/%m/%Y} là ngày nghỉ: không gửi nhắc việc (dùng --force để gửi).")
    else:
        print(f"Đã lập {report.digests} bản nhắc việc, {report.messages} tin được xếp hàng gửi.")
    return 0


@command("users")
def cmd_users(args: argparse.Namespace) -> int:
    """Dashboard accounts: add, passwd, list, disable, enable."""
    import getpass

    from accounts import users
    from storage.db import session_factory

    sessions = session_factory()

    def password() -> str:
        if args.password_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise users.AccountError("Hai lần nhập mật khẩu không khớp.")
        return first

    try:
        if args.action == "list":
            rows = users.list_accounts(sessions)
            if args.json:
                _print_json(rows)
            for r in rows if not args.json else []:
                print(f"{r['username']:20} {r['role']:8} {r['agency_id'] or '-':35} {'' if r['active'] else '(đã khóa)'}")
            return 0
        if not args.username:
            raise users.AccountError("Cần tên đăng nhập.")
        if args.action == "add":
            agency = _agency_id(args.agency) if args.agency else None
            account = users.create(sessions, args.username, password(), args.role, agency, args.name)
            print(f"Đã tạo tài khoản {account.username} ({users.ROLES[account.role]}{', ' + agency if agency else ''}).")
        elif args.action == "passwd":
            users.set_password(sessions, args.username, password())
            print("Đã đổi mật khẩu.")
        else:
            users.set_active(sessions, args.username, args.action == "enable")
            print("Đã cập nhật.")
    except users.AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    return 0


def _agency_id(name: str) -> str:
    from accounts.users import AccountError
    from agencies.registry import default_registry

    registry = default_registry()
    agency = registry.get(name) or registry.resolve(name)
    if agency is None:
        raise AccountError(f"Không tìm thấy đơn vị “{name}” trong danh mục (agencies/data/agencies.yml).")
    return agency.id


@command("db")
def cmd_db(args: argparse.Namespace) -> int:
    from storage.db import get_engine, migrate

    migrate(get_engine())
    print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    return 0


@command("rasa")
def cmd_rasa(args: argparse.Namespace) -> int:
    """`civic rasa export DIR`: a Rasa 3.6 project generated from the engine's own sources."""
    from dialogue import rasa_export

    options = rasa_export.ExportOptions(epochs=args.epochs, ted_epochs=args.ted_epochs, action_url=args.action_url)
    result = rasa_export.export(Path(args.dir), options)
    stats = result.stats
    if args.json:
        _print_json({"directory": str(result.directory), "files": result.files, "digest": result.digest,
                     "nlu": {"examples": stats.exported, "engine_texts": stats.engine_texts,
                             "engine_distinct": stats.engine_distinct, "menu_labels_added": stats.menu_labels_added,
                             "conflicts_dropped": stats.conflicts_dropped, "per_intent": stats.per_intent}})
        return 0
    print(f"Rasa {rasa_export.RASA_VERSION} project in {result.directory} ({result.digest}): {', '.join(result.files)}")
    print(f"NLU: {stats.exported} examples ({stats.engine_distinct} distinct of the {stats.engine_texts} texts the "
          f"engine trains on, + {stats.menu_labels_added} menu labels; {len(stats.conflicts_dropped)} text(s) kept for one intent only)")
    print(f"Next: cd {args.dir} && rasa data validate && rasa train; actions: python -m rasa_sdk --actions actions")
    return 0


# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="civic", description="Trợ lý dịch vụ công (Vietnamese public-service assistant)")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log output")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("setup", help="prepare database, model cache and the sample knowledge base")

    p = sub.add_parser("ingest", help="ingest procedure files (.jsonl/.jsonl.gz) and plans (.txt/.md/.docx/.pdf)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--no-index", action="store_true", help="do not rebuild the search index afterwards")

    p = sub.add_parser("index", help="search index")
    p.add_argument("action", choices=["rebuild"])

    p = sub.add_parser("ask", help="answer a question with sources")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", metavar="FILE.jsonl", help='lines {"id","question"} -> one JSON line each')

    p = sub.add_parser("eval", help="evaluate the knowledge engine on a question set; train the ranker")
    p.add_argument("what", choices=["retrieval", "train-ranker"])
    p.add_argument("--half", choices=["tune", "test", "all"], default="all", help="half of a frozen evaluation set")
    p.add_argument("--no-rerank", action="store_true", help="rank by the unweighted fusion (baseline)")
    p.add_argument("--rows", action="store_true", help="with --json: one row per question")
    p.add_argument("--generated", type=int, default=1, help="train-ranker: generated questions per procedure")
    p.add_argument("--no-cv", action="store_true", help="train-ranker: skip cross-validation")
    p.add_argument("file", nargs="?")
    p.add_argument("--mode", choices=["hybrid", "dense", "sparse"], default="hybrid")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("chat", help="talk to the assistant in the terminal")
    p.add_argument("--user", help="conversation id (default: terminal-<login>)")

    p = sub.add_parser("serve", help="run the web server (API, channels, web chat)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)

    p = sub.add_parser("nlu", help="intent model: train, parse, test, eval (frozen utterances)")
    p.add_argument("action", choices=["train", "parse", "test", "eval"])
    p.add_argument("text", nargs="*")
    p.add_argument("--half", choices=["tune", "test", "all"], default="tune", help="eval: half of the frozen utterances")
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", metavar="FILE.jsonl", help='lines {"id","text"} -> one JSON line each')

    p = sub.add_parser("feedback", help="citizen feedback: list, show, update")
    p.add_argument("action", choices=["list", "show", "update"])
    p.add_argument("code", nargs="?")
    p.add_argument("--status", help="received | rejected | classified | forwarded | in_progress | resolved | published")
    p.add_argument("--reply")
    p.add_argument("--note")
    p.add_argument("--assign")
    p.add_argument("--agency", help="agency id (registry) to filter or to re-route to")
    p.add_argument("--category")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--actor", help="name written to the audit trail")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("sipas", help="satisfaction statistics (SIPAS) and QĐ 766 feedback ratios")
    p.add_argument("action", choices=["report", "export"])
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--agency", help="agency id")
    p.add_argument("--procedure", help="procedure code")
    p.add_argument("--channel")
    p.add_argument("--by", choices=["agency", "procedure", "channel", "period"])
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--answers", action="store_true", help="CSV of anonymous answers instead of the index table")
    p.add_argument("--out", default="sipas.csv")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tasks", help="plan tasks and deadlines")
    p.add_argument("action", nargs="?", default="list", choices=["list", "done", "reopen", "eval"])
    p.add_argument("--agency", help="unit (any spelling: 'Phòng Nội vụ', 'P.NV')")
    p.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    p.add_argument("--plan", help="plan number, e.g. 341 or 341/KH-UBND")
    p.add_argument("--status", choices=["due", "overdue", "ongoing"])
    p.add_argument("--role", choices=["lead", "coordinating"])
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")
    p.add_argument("--id", type=int, help="task id (done, reopen)")
    p.add_argument("--undo", action="store_true", help="done: mark not done (same as reopen)")
    p.add_argument("--actor", help="done/reopen: name written to the audit trail (default cli:<login>)")
    p.add_argument("--gold", default=str(Path(__file__).resolve().parents[1] / "tests" / "data" / "tasks_gold"))
    p.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "shared" / "seeds"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", help="ingested documents: list, delete, replace by a file")
    p.add_argument("action", choices=["list", "delete", "replace"])
    p.add_argument("id", nargs="?", type=int, help="document id (delete, replace)")
    p.add_argument("file", nargs="?", help="replace: the new file")
    p.add_argument("--kind", choices=["plan", "procedure"])
    p.add_argument("--query", help="list: words of the title, số hiệu, code or issuer")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("reminders", help="reminder digests of plan tasks")
    p.add_argument("action", choices=["run"])
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--force", action="store_true", help="also on a day off")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("users", help="dashboard accounts")
    p.add_argument("action", choices=["add", "passwd", "list", "disable", "enable"])
    p.add_argument("username", nargs="?")
    p.add_argument("--role", default="officer", choices=["admin", "officer", "viewer"])
    p.add_argument("--agency", help="the officer's unit (registry id or any name)")
    p.add_argument("--name", help="display name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rasa", help="Rasa Open Source 3.6: export this assistant as a Rasa project")
    rasa_sub = p.add_subparsers(dest="rasa_action", required=True)
    e = rasa_sub.add_parser("export", help="write config, domain, NLU data, rules, stories, endpoints to DIR")
    e.add_argument("dir")
    e.add_argument("--epochs", type=int, default=100, help="DIETClassifier epochs (default 100)")
    e.add_argument("--ted-epochs", type=int, default=30, help="TEDPolicy epochs (default 30)")
    e.add_argument("--action-url", default="http://localhost:5055/webhook", help="the action server's webhook")
    e.add_argument("--json", action="store_true")

    p = sub.add_parser("db", help="database schema")
    p.add_argument("action", choices=["upgrade"])
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # `civic ask --json "câu hỏi"`: argparse leaves words after an option unassigned
    words = "text" if hasattr(args, "text") else "question" if hasattr(args, "question") else None
    if extra and words and not any(e.startswith("-") for e in extra):
        setattr(args, words, [*getattr(args, words), *extra])
    elif extra:
        parser.error(f"không hiểu các tham số: {' '.join(extra)}")
    settings = get_settings()
    # Commands print their own results; logs are for -v (the server logs at the configured level).
    level = "DEBUG" if args.verbose else ("WARNING" if args.command != "serve" else settings.logging.level)
    setup_logging(level, settings.logging.mask_pii, settings.logging.json_format)
    return COMMANDS[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
