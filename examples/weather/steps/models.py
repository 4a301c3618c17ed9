"""Three small models in plain Python: a majority baseline, Gaussian naive Bayes, softmax regression."""
import math
from collections import Counter

FEATURES = ["season_sin", "season_cos", "prev_precipitation", "prev_temp_mean", "prev_wind", "prev_wet",
            "mean3_precipitation", "mean3_temp_mean", "mean3_wind"]


def matrix(rows):
    return [[float(r[f]) for f in FEATURES] for r in rows], [r["label"] for r in rows]


def fit_majority(X, y):
    return {"kind": "majority", "label": Counter(y).most_common(1)[0][0]}


def fit_naive_bayes(X, y):
    classes = sorted(set(y))
    stats = {}
    for c in classes:
        rows = [x for x, l in zip(X, y) if l == c]
        means = [sum(col) / len(rows) for col in zip(*rows)]
        vars_ = [max(1e-3, sum((v - m) ** 2 for v in col) / len(rows)) for col, m in zip(zip(*rows), means)]
        stats[c] = {"prior": len(rows) / len(y), "mean": means, "var": vars_}
    return {"kind": "naive_bayes", "classes": stats}


def fit_softmax(X, y, epochs=300, rate=0.1, l2=1e-3):
    classes = sorted(set(y))
    mu = [sum(col) / len(X) for col in zip(*X)]
    sd = [max(1e-6, math.sqrt(sum((v - m) ** 2 for v in col) / len(X))) for col, m in zip(zip(*X), mu)]
    Z = [[(v - m) / s for v, m, s in zip(x, mu, sd)] + [1.0] for x in X]
    W = [[0.0] * len(Z[0]) for _ in classes]
    index = {c: i for i, c in enumerate(classes)}
    for _ in range(epochs):
        grad = [[0.0] * len(Z[0]) for _ in classes]
        for z, label in zip(Z, y):
            p = _softmax([sum(w * v for w, v in zip(row, z)) for row in W])
            for k in range(len(classes)):
                err = p[k] - (1.0 if index[label] == k else 0.0)
                for j, v in enumerate(z):
                    grad[k][j] += err * v
        for k in range(len(classes)):
            for j in range(len(Z[0])):
                W[k][j] -= rate * (grad[k][j] / len(Z) + l2 * W[k][j])
    return {"kind": "softmax", "classes": classes, "weights": W, "mean": mu, "std": sd}


def _softmax(scores):
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    total = sum(e)
    return [v / total for v in e]


def predict(model, x):
    if model["kind"] == "majority":
        return model["label"]
    if model["kind"] == "naive_bayes":
        best, best_score = None, -math.inf
        for c, s in model["classes"].items():
            score = math.log(s["prior"]) + sum(-0.5 * math.log(2 * math.pi * v) - (xi - m) ** 2 / (2 * v) for xi, m, v in zip(x, s["mean"], s["var"]))
            if score > best_score:
                best, best_score = c, score
        return best
    z = [(v - m) / s for v, m, s in zip(x, model["mean"], model["std"])] + [1.0]
    scores = [sum(w * v for w, v in zip(row, z)) for row in model["weights"]]
    return model["classes"][scores.index(max(scores))]


def metrics(model, X, y):
    predicted = [predict(model, x) for x in X]
    accuracy = sum(p == t for p, t in zip(predicted, y)) / len(y)
    f1s = []
    for c in sorted(set(y)):
        tp = sum(p == c and t == c for p, t in zip(predicted, y))
        fp = sum(p == c and t != c for p, t in zip(predicted, y))
        fn = sum(p != c and t == c for p, t in zip(predicted, y))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(sum(f1s) / len(f1s), 4), "rows": len(y)}
