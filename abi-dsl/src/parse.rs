//! Parsing: tokens to a syntax tree that keeps every span. No meaning is checked here beyond the
//! grammar; names stay names until `validate` resolves them.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, bracketed, parenthesized, Attribute, Expr, Ident, LitStr, Token, Visibility};

pub struct Input {
    pub abis: Vec<AbiDef>,
}

#[derive(Clone)]
pub struct AbiDef {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub id: LitStr,
    pub title: Option<LitStr>,
    /// `: base`: start from an ABI declared earlier in the same invocation (see `inherit`).
    pub base: Option<Ident>,
    pub fields: Vec<Field>,
}

/// `key: value` inside an ABI body.
#[derive(Clone)]
pub struct Field {
    pub key: Ident,
    pub value: FieldValue,
}

#[derive(Clone)]
pub enum FieldValue {
    /// `arch: aarch64`, `number: x16`
    Ident(Ident),
    /// `trap: hvc(0xEA1)`, `unknown: error(ENOSYS)`
    Call(Ident, Vec<Expr>),
    /// `args: [x0, x1]`
    List(Vec<Ident>),
    /// `number: { eid: a7, fid: a6 }`, `registers: { x16: clobbered }`, `narrow: { bits: 32 }`
    Map(Vec<(Ident, Ident)>),
    /// `errors: { EPERM = -1 }`
    Consts(Vec<Const>),
    /// `calls: { ... }`
    Calls(Vec<CallDef>),
    /// `revision: "1.1"`
    Str(LitStr),
}

#[derive(Clone)]
pub struct Const {
    pub ident: Ident,
    pub value: Expr,
}

#[derive(Clone)]
pub struct CallDef {
    pub attrs: Vec<Attribute>,
    pub ident: Ident,
    /// `= 18` or `= (0x10, 3)`
    pub number: Vec<Expr>,
    pub number_span: Span,
    pub args: Vec<ParamDef>,
    pub args_span: Span,
    pub results: Vec<ParamDef>,
    pub results_span: Span,
    pub errors: Vec<Ident>,
}

/// `name [@ reg]: domain`
#[derive(Clone)]
pub struct ParamDef {
    pub ident: Ident,
    pub reg: Option<Ident>,
    pub domain: DomainDef,
}

#[derive(Clone)]
pub struct DomainDef {
    pub kind: Ident,
    pub body: DomainBody,
}

#[derive(Clone)]
pub enum DomainBody {
    None,
    /// `range(0..=10)`, `bits(0xff)`, `ptr(align = 8, nullable)`
    Args(Vec<Expr>),
    /// `enum { A = 0, B = 1 }`
    Enum(Vec<Const>),
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut abis = Vec::new();
        while !input.is_empty() {
            abis.push(input.parse()?);
        }
        Ok(Input { abis })
    }
}

mod kw {
    syn::custom_keyword!(abi);
}

impl Parse for AbiDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        input.parse::<kw::abi>()?;
        let ident = input.parse()?;
        let head;
        parenthesized!(head in input);
        let id = head.parse()?;
        let title = if head.parse::<Option<Token![,]>>()?.is_some() && !head.is_empty() {
            Some(head.parse()?)
        } else {
            None
        };
        let base = if input.parse::<Option<Token![:]>>()?.is_some() {
            Some(input.parse()?)
        } else {
            None
        };
        let body;
        braced!(body in input);
        let mut fields = Vec::new();
        while !body.is_empty() {
            let key: Ident = body.parse()?;
            body.parse::<Token![:]>()?;
            let value = parse_field_value(&key, &body)?;
            fields.push(Field { key, value });
            if body.is_empty() {
                break;
            }
            body.parse::<Token![,]>()?;
        }
        Ok(AbiDef {
            attrs,
            vis,
            ident,
            id,
            title,
            base,
            fields,
        })
    }
}

fn parse_field_value(key: &Ident, input: ParseStream) -> syn::Result<FieldValue> {
    if input.peek(LitStr) {
        return Ok(FieldValue::Str(input.parse()?));
    }
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let items = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
        return Ok(FieldValue::List(items.into_iter().collect()));
    }
    if input.peek(syn::token::Brace) {
        let content;
        braced!(content in input);
        return match key.to_string().as_str() {
            "calls" => {
                let mut calls = Vec::new();
                while !content.is_empty() {
                    calls.push(content.parse()?);
                }
                Ok(FieldValue::Calls(calls))
            }
            "errors" => Ok(FieldValue::Consts(parse_consts(&content)?)),
            _ => {
                let mut pairs = Vec::new();
                while !content.is_empty() {
                    let k: Ident = content.call(Ident::parse_any_ident)?;
                    content.parse::<Token![:]>()?;
                    let v: Ident = content.call(Ident::parse_any_ident)?;
                    pairs.push((k, v));
                    if content.is_empty() {
                        break;
                    }
                    content.parse::<Token![,]>()?;
                }
                Ok(FieldValue::Map(pairs))
            }
        };
    }
    let ident: Ident = input.call(Ident::parse_any_ident)?;
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let args = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
        return Ok(FieldValue::Call(ident, args.into_iter().collect()));
    }
    Ok(FieldValue::Ident(ident))
}

fn parse_consts(input: ParseStream) -> syn::Result<Vec<Const>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        out.push(Const { ident, value });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

trait ParseAny {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident>;
}
impl ParseAny for Ident {
    /// Accepts keywords too (`enum`, `ptr`, `none`), which the DSL uses as words.
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident> {
        use syn::ext::IdentExt;
        Ident::parse_any(input)
    }
}

impl Parse for CallDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let ident: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let number_span = input.span();
        let number = if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            Punctuated::<Expr, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect()
        } else {
            vec![parse_number_expr(input)?]
        };
        let args_span = input.span();
        let args = parse_params(input)?;
        let (results, results_span) = if input.parse::<Option<Token![->]>>()?.is_some() {
            let span = input.span();
            (parse_params(input)?, span)
        } else {
            (Vec::new(), input.span())
        };
        let mut errors = Vec::new();
        if input.peek(Ident) && input.fork().parse::<Ident>()? == "errors" {
            input.parse::<Ident>()?;
            let content;
            bracketed!(content in input);
            errors = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect();
        }
        input.parse::<Token![;]>()?;
        Ok(CallDef {
            attrs,
            ident,
            number,
            number_span,
            args,
            args_span,
            results,
            results_span,
            errors,
        })
    }
}

/// A call number: an integer literal, possibly negative, or a constant path like `u32::MAX`.
fn parse_number_expr(input: ParseStream) -> syn::Result<Expr> {
    if input.peek(Token![-]) {
        let neg: Token![-] = input.parse()?;
        let lit: syn::Lit = input.parse()?;
        return Ok(syn::parse_quote_spanned!(neg.span=> -#lit));
    }
    if input.peek(syn::Lit) {
        return Ok(Expr::Lit(input.parse()?));
    }
    Ok(Expr::Path(input.parse()?))
}

fn parse_params(input: ParseStream) -> syn::Result<Vec<ParamDef>> {
    let content;
    parenthesized!(content in input);
    let mut out = Vec::new();
    while !content.is_empty() {
        let ident: Ident = content.call(Ident::parse_any_ident)?;
        let reg = if content.parse::<Option<Token![@]>>()?.is_some() {
            Some(content.call(Ident::parse_any_ident)?)
        } else {
            None
        };
        content.parse::<Token![:]>()?;
        let domain = content.parse()?;
        out.push(ParamDef { ident, reg, domain });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(out)
}

impl Parse for DomainDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let kind: Ident = input.call(Ident::parse_any_ident)?;
        let body = if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            DomainBody::Args(
                Punctuated::<Expr, Token![,]>::parse_terminated(&content)?
                    .into_iter()
                    .collect(),
            )
        } else if input.peek(syn::token::Brace) {
            let content;
            braced!(content in input);
            DomainBody::Enum(parse_consts(&content)?)
        } else {
            DomainBody::None
        };
        Ok(DomainDef { kind, body })
    }
}
